import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import { uniqueViolation } from '../../db/unique-violation.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { conflict, notFound, unprocessable } from '../../errors.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import { isScopedKey, requireOperation, trackInScope } from './access.js';
import type { Page } from './creator.service.js';
import { presentVariant, type VariantView } from './presenters/variant.presenter.js';
import type { TrackFiles } from './track-files.js';
import { defaultExtras } from './track-extras.js';
import type { TrackService } from './track.service.js';
import { variantFromRow, type Codec, type PreviewSettings, type VariantDef } from './variant-catalog.js';

export interface VariantInput {
  type: 'transcode' | 'preview';
  index: string;
  codec: Codec;
  bitrate: number;
  isStereo: boolean;
  isStripTags: boolean;
  isStripCover: boolean;
  preview: PreviewSettings;
}

const RENDER_ATTEMPTS = 3;

/** Organization default variants plus track-specific ones added after processing. */
export interface VariantServiceDeps {
  core: CoreDeps<'db' | 'queue', 'tracks'>;
  repos: Pick<CollectionsRepositories, 'tracks' | 'variants'>;
  files: TrackFiles;
  tracks: TrackService;
}

export function createVariantService(deps: VariantServiceDeps) {
  const { core, repos, files, tracks } = deps;

  async function list(actor: Actor, page: Page): Promise<{ count: number; variants: VariantView[] }> {
    requireOperation(actor, 'read');
    const defaults = files.defaults(actor.tenantId);
    // Client-side keys see the organization's variants only, not other tracks' own.
    const own = isScopedKey(actor) ? 0 : await repos.variants.count(actor.tenantId);
    const head = defaults.slice(page.offset, page.offset + page.limit);
    const remaining = page.limit - head.length;
    const rows = remaining > 0 && own > 0 ? await repos.variants.list(actor.tenantId, { limit: remaining, offset: Math.max(0, page.offset - defaults.length) }) : [];
    return { count: defaults.length + own, variants: [...head, ...rows.map(variantFromRow)].map(presentVariant) };
  }

  async function find(actor: Actor, id: string): Promise<VariantDef> {
    requireOperation(actor, 'read');
    const def = files.defaults(actor.tenantId).find((v) => v.id === id);
    if (def) return def;
    const row = await repos.variants.find(actor.tenantId, id);
    if (row && isScopedKey(actor)) {
      const track = await core.repos.tracks.find(actor.tenantId, row.trackId);
      if (!track || !trackInScope(actor, track)) throw notFound('variant_not_found', 'Variant not found');
    }
    if (!row) throw notFound('variant_not_found', 'Variant not found');
    return variantFromRow(row);
  }

  const get = async (actor: Actor, id: string) => presentVariant(await find(actor, id));

  /** Adds a variant to a track and queues its rendering; the track reads `processing` until it is done. */
  async function create(actor: Actor, trackId: string, input: VariantInput): Promise<{ variant: VariantView; jobId: string | null }> {
    const record = await tracks.findFor(actor, trackId, 'manage');
    const taken = () => conflict('variant_index_taken', `A variant with index "${input.index}" already exists for this track`);
    if (files.defaults(actor.tenantId).some((v) => v.index === input.index)) throw taken();
    if (!record.sourceAssetId) throw unprocessable('track_has_no_source', 'The track has no source file to process yet');
    const now = nowIso();
    const id = uuidv7();
    try {
      await core.db.transaction().execute(async (tx) => {
        await repos.variants.insert(
          {
            id, tenantId: actor.tenantId, trackId, variantIndex: input.index, variantType: input.type, codec: input.codec, bitrate: input.bitrate,
            channels: input.isStereo ? 2 : 1, isStripTags: Number(input.isStripTags), isStripCover: Number(input.isStripCover),
            preview: input.type === 'preview' ? JSON.stringify(input.preview) : '{}', status: 'pending', storageKey: null, mimeType: null,
            fileSize: null, durationMs: null, error: null, jobId: null, createdAt: now, updatedAt: now, completedAt: null,
          },
          tx,
        );
        if (!record.extras) await repos.tracks.ensure(defaultExtras(actor.tenantId, trackId, now), tx);
        await repos.tracks.adjustVariantCounters(trackId, 1, 0, now, tx);
        // The track leaves its terminal status; reaching one again is reported anew.
        await repos.tracks.update(trackId, { notifiedStatus: 'processing', filesCompletedAt: null }, tx);
      });
    } catch (err) {
      if (uniqueViolation(err)) throw taken();
      throw err;
    }
    const jobId = await core.queue.enqueue('variant.render', { tenantId: actor.tenantId, trackId, variantId: id }, { maxAttempts: RENDER_ATTEMPTS });
    if (jobId) await repos.variants.update(id, { jobId });
    return { variant: presentVariant(variantFromRow((await repos.variants.find(actor.tenantId, id))!)), jobId };
  }

  return { list, get, find, create };
}
export type VariantService = ReturnType<typeof createVariantService>;
