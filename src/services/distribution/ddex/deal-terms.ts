import type { ErnDeal } from './ern-model.js';

const DEFAULT_DEALS: Array<Pick<ErnDeal, 'commercialModel' | 'useTypes'>> = [
  { commercialModel: 'SubscriptionModel', useTypes: ['OnDemandStream', 'NonInteractiveStream'] },
  { commercialModel: 'AdvertisementSupportedModel', useTypes: ['OnDemandStream', 'NonInteractiveStream'] },
  { commercialModel: 'PayAsYouGoModel', useTypes: ['PermanentDownload'] },
];

const MODELS: Record<string, string> = {
  subscription: 'SubscriptionModel', subscriptionmodel: 'SubscriptionModel', stream: 'SubscriptionModel', streaming: 'SubscriptionModel',
  adsupported: 'AdvertisementSupportedModel', advertisementsupported: 'AdvertisementSupportedModel', advertisementsupportedmodel: 'AdvertisementSupportedModel', free: 'AdvertisementSupportedModel',
  download: 'PayAsYouGoModel', payasyougo: 'PayAsYouGoModel', payasyougomodel: 'PayAsYouGoModel', purchase: 'PayAsYouGoModel',
};
const USES: Record<string, string[]> = {
  SubscriptionModel: ['OnDemandStream', 'NonInteractiveStream'],
  AdvertisementSupportedModel: ['OnDemandStream', 'NonInteractiveStream'],
  PayAsYouGoModel: ['PermanentDownload'],
};
const USE_TYPES = new Set(['OnDemandStream', 'NonInteractiveStream', 'PermanentDownload', 'Stream', 'ConditionalDownload', 'TetheredDownload', 'Download']);

const key = (s: string) => s.replace(/[\s_-]/g, '').toLowerCase();
const territory = (s: unknown) => (typeof s === 'string' && /^([A-Z]{2}|Worldwide)$/i.test(s.trim()) ? (s.trim().toLowerCase() === 'worldwide' ? 'Worldwide' : s.trim().toUpperCase()) : null);

/**
 * The deals of a product from its `distribution` field: `{ territories?, commercialModels?,
 * useTypes? }` (or a list of such), every store and territory by default. Deals start on the
 * release date; a takedown ends them.
 */
export function dealsFor(distribution: unknown, startDate: string, endDate: string | null): ErnDeal[] {
  const specs = Array.isArray(distribution) ? distribution : distribution && typeof distribution === 'object' ? [distribution] : [];
  const deals: ErnDeal[] = [];
  for (const raw of specs) {
    if (!raw || typeof raw !== 'object') continue;
    const s = raw as { territories?: unknown; commercialModels?: unknown; commercialModel?: unknown; useTypes?: unknown };
    const territories = (Array.isArray(s.territories) ? s.territories : typeof s.territories === 'string' ? [s.territories] : []).map(territory).filter((t): t is string => !!t);
    const models = (Array.isArray(s.commercialModels) ? s.commercialModels : [s.commercialModels ?? s.commercialModel]).filter((m): m is string => typeof m === 'string').map((m) => MODELS[key(m)]).filter(Boolean);
    const uses = (Array.isArray(s.useTypes) ? s.useTypes : []).filter((u): u is string => typeof u === 'string' && USE_TYPES.has(u));
    for (const model of models.length ? [...new Set(models)] : DEFAULT_DEALS.map((d) => d.commercialModel)) {
      deals.push({ territories: territories.length ? territories : ['Worldwide'], commercialModel: model, useTypes: uses.length ? uses : USES[model], startDate, endDate });
    }
  }
  return deals.length ? deals : DEFAULT_DEALS.map((d) => ({ ...d, territories: ['Worldwide'], startDate, endDate }));
}
