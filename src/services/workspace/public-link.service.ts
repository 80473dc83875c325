import type { CoreDeps } from '../../container.js';
import type { WorkspaceRepositories } from '../../repositories/workspace/index.js';
import { validateSplitSheet, type SplitSheetInput } from '../../domain/split-sheet.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import type { ShareLinkKind, ShareLinkRow } from '../../repositories/workspace/share-link.repository.js';
import type { TrackRow } from '../../repositories/track.repository.js';
import { sha256 } from '../credentials.js';
import type { AudiowaveformV2, WaveformResult } from '../lane-results.js';
import { createGroupWrite } from '../../db/group-write.js';
import { nowIso, parseJson } from '../../db/time.js';
import { uuidv7 } from '../../domain/ids.js';
import type { TrackEventRow } from '../../repositories/processing.repository.js';
import { ARTWORK_URL_TTL_SECONDS } from './track-view.js';
import { createAccessCodeGate } from './access-code-gate.js';
import { sharePageFingerprint, type SharePageCard, type SharePageSource } from './share-page-source.js';
import type { SheetView, SplitSheetService } from './split-sheet.service.js';

export interface TrackShareCard {
  link: { id: string; name: string | null; expiresAt: string | null };
  /** Withheld (null) while a gated link has not been unlocked. */
  track: { title: string; artist: string; durationMs: number | null; artworkUrl: string | null } | null;
  peaks: AudiowaveformV2 | null;
  allowDownload: boolean;
  requiresAccessCode: boolean;
}

/** What the split-sheet review page shows: names and shares only, no ids, emails or owners. */
export interface SplitSheetReview {
  trackTitle: string;
  trackArtist: string;
  address: string;
  intendedUse: string;
  master: Array<{ name: string; percentage: number }>;
  writers: Array<{ name: string; pro: string | null; ipi: string | null; percentage: number }>;
  publishers: Array<{ name: string; percentage: number; subPublishers: Array<{ name: string; percentage: number }> }>;
  balanced: boolean;
  issues: string[];
  validatedAt: string | null;
}

const MAX_TOKEN_LENGTH = 200;
const linkGone = () => notFound('share_link_not_found', 'This link does not exist, expired or was revoked');

/** The unauthenticated side of share links: everything is reached through a token, and only reads plus counted events happen. */
export interface PublicLinkServiceDeps {
  core: CoreDeps<'store' | 'events', 'tracks' | 'assets' | 'processing', 'trackMedia'>;
  repos: Pick<WorkspaceRepositories, 'shareLinks'>;
  splitSheets: SplitSheetService;
}

export function createPublicLinkService(deps: PublicLinkServiceDeps) {
  const { core, splitSheets } = deps;
  const links = deps.repos.shareLinks;
  const { trackMedia } = core.services;

  async function resolve(token: string, kind: ShareLinkKind): Promise<{ link: ShareLinkRow; track: TrackRow }> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw linkGone();
    const link = await links.findByTokenHash(sha256(token));
    if (!link || link.kind !== kind || link.revokedAt || (link.expiresAt && link.expiresAt <= nowIso())) throw linkGone();
    const track = await core.repos.tracks.find(link.tenantId, link.trackId);
    if (!track) throw linkGone();
    return { link, track };
  }

  const gate = createAccessCodeGate({ links });

  async function unlocked(token: string, code: string | undefined | null) {
    const found = await resolve(token, 'track');
    await gate.check(found.link, code);
    return found;
  }

  /** A signed URL of the artwork once it is uploaded; a store that cannot sign leaves the page without it. */
  async function artworkUrlOf(art: { status: string; storageKey: string; contentType: string } | null | undefined): Promise<string | null> {
    if (!art || art.status !== 'uploaded') return null;
    return core.store.signedGetUrl(art.storageKey, { expiresInSec: ARTWORK_URL_TTL_SECONDS, contentType: art.contentType }).catch(() => null);
  }

  async function buildCard(link: ShareLinkRow, track: TrackRow): Promise<TrackShareCard> {
    const artworkUrl = track.artworkAssetId ? await artworkUrlOf(await core.repos.assets.find(track.tenantId, track.artworkAssetId)) : null;
    const waveform = await trackMedia.waveform(track);
    return {
      link: { id: link.id, name: link.name, expiresAt: link.expiresAt },
      track: { title: track.title, artist: track.artist ?? '', durationMs: track.durationMs, artworkUrl },
      peaks: waveform?.overview ?? null,
      allowDownload: link.allowDownload === 1,
      requiresAccessCode: link.accessCodeHash !== null,
    };
  }

  // Views arrive with every page and card request: those arriving together are committed together.
  const views = createGroupWrite<TrackEventRow>((rows) => core.repos.processing.insertEvents(rows));

  /** Resolves once the view is stored (so counts and stats include it), then announces it. */
  async function countView(link: ShareLinkRow): Promise<void> {
    await views.add({ id: uuidv7(), tenantId: link.tenantId, trackId: link.trackId, type: 'track.viewed', shareLinkId: link.id, actorUserId: null, meta: '{}', createdAt: nowIso() });
    await core.events.publish({ type: 'share_link.viewed', tenantId: link.tenantId, trackId: link.trackId, shareLinkId: link.id });
  }

  /** The card of an unlocked link; counts a view. */
  async function viewCard({ link, track }: { link: ShareLinkRow; track: TrackRow }): Promise<TrackShareCard> {
    const view = await buildCard(link, track);
    await countView(link);
    return view;
  }

  /** The card JSON: counts a view. A gated link without the right code is 403 access_code_required. */
  async function card(token: string, code?: string | null): Promise<TrackShareCard> {
    return viewCard(await unlocked(token, code));
  }

  /**
   * For the share page: like `card`, except that a gated link asked without a code answers a
   * locked card (no track details, no view counted) so the page can ask for the code.
   */
  async function sharePage(token: string, opts: { accessCode?: string | null } = {}): Promise<TrackShareCard> {
    const found = await resolve(token, 'track');
    const { link } = found;
    if (link.accessCodeHash && !opts.accessCode) {
      return { link: { id: link.id, name: link.name, expiresAt: link.expiresAt }, track: null, peaks: null, allowDownload: link.allowDownload === 1, requiresAccessCode: true };
    }
    await gate.check(link, opts.accessCode);
    return viewCard(found);
  }

  /**
   * The share page route's way in: the link, its gate and what its page shows are read in one
   * query on every request, so a revoked or expired link (or a deleted track) is 404 on the next
   * request whichever process wrote it. `render` gets the page's source (a page rendered under
   * the same fingerprint may be served again) and the view is counted once it has answered, as
   * `sharePage` counts it: every request of an open link, none of a gated one, which the page
   * shows locked whatever was unlocked before.
   */
  async function viewSharePage<T>(token: string, render: (source: SharePageSource) => Promise<T>): Promise<T> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw linkGone();
    const state = await links.findPageState(sha256(token));
    if (!state) throw linkGone();
    const { link, track } = state;
    if (link.kind !== 'track' || link.revokedAt || (link.expiresAt && link.expiresAt <= nowIso())) throw linkGone();
    const requiresAccessCode = link.accessCodeHash !== null;
    const fingerprint = sharePageFingerprint(state);
    const locked: SharePageCard = { track: null, peaks: null, allowDownload: false, requiresAccessCode: true };
    const out = await render({
      linkId: link.id,
      fingerprint,
      requiresAccessCode,
      async load() {
        if (requiresAccessCode) return { card: locked, fingerprint };
        const lane = state.audio ? await core.repos.processing.findLane(state.audio.assetId, 'waveform') : undefined;
        const waveform = lane?.status === 'succeeded' ? parseJson<WaveformResult | null>(lane.result, null) : null;
        return {
          card: {
            track: { title: track.title, artist: track.artist ?? '', durationMs: track.durationMs, artworkUrl: await artworkUrlOf(state.artwork) },
            peaks: waveform?.overview ?? null,
            allowDownload: link.allowDownload === 1,
            requiresAccessCode: false,
          },
          fingerprint: sharePageFingerprint(state, state.audio ? { status: lane?.status ?? null, updatedAt: lane?.updatedAt ?? null } : null),
        };
      },
    });
    if (!requiresAccessCode) await countView(link);
    return out;
  }

  async function playbackUrl(token: string, code?: string | null) {
    const { track } = await unlocked(token, code);
    const signed = await trackMedia.playbackUrl(track);
    if (!signed) throw conflict('playback_not_ready', 'This track is not playable yet');
    return signed;
  }

  async function downloadUrl(token: string, code?: string | null) {
    const { link, track } = await unlocked(token, code);
    if (link.allowDownload !== 1) throw forbidden('downloads_disabled', 'Downloads are not enabled for this link');
    const signed = await trackMedia.downloadUrl(track);
    await trackMedia.recordEvent(track, 'track.downloaded', { shareLinkId: link.id, meta: { assetId: signed.assetId } });
    return signed;
  }

  async function recordPlay(token: string, code?: string | null): Promise<void> {
    const { link, track } = await unlocked(token, code);
    await trackMedia.recordEvent(track, 'track.played', { shareLinkId: link.id });
  }

  function reviewOf(track: TrackRow, sheet: SheetView): SplitSheetReview {
    const nameOf = (id: string) => sheet.collaborators.get(id)?.name ?? 'Unknown collaborator';
    const issues = sheet.exists ? validateSplitSheet(sheet as unknown as SplitSheetInput).map((i) => i.message) : ['No split sheet has been filed for this track yet'];
    return {
      trackTitle: track.title,
      trackArtist: track.artist ?? '',
      address: sheet.address ?? '',
      intendedUse: sheet.intendedUse ?? '',
      master: sheet.master.map((e) => ({ name: nameOf(e.collaboratorId), percentage: e.percentage })),
      writers: sheet.writers.map((e) => {
        const c = sheet.collaborators.get(e.collaboratorId);
        return { name: nameOf(e.collaboratorId), pro: c?.pro ?? null, ipi: c?.ipi ?? null, percentage: e.percentage };
      }),
      publishers: sheet.publishers.map((p) => ({
        name: nameOf(p.collaboratorId),
        percentage: p.percentage,
        subPublishers: (p.subPublishers ?? []).map((s) => ({ name: nameOf(s.collaboratorId), percentage: s.percentage })),
      })),
      balanced: sheet.exists && issues.length === 0,
      issues,
      validatedAt: sheet.validatedAt,
    };
  }

  /** The split-sheet review page's data; counts a view of the review link. */
  async function splitSheetReview(token: string): Promise<SplitSheetReview> {
    const { link, track } = await resolve(token, 'split_sheet');
    const review = reviewOf(track, await splitSheets.viewOf(track));
    await trackMedia.recordEvent(track, 'split_sheet.viewed', { shareLinkId: link.id });
    return review;
  }

  return { card, sharePage, viewSharePage, playbackUrl, downloadUrl, recordPlay, splitSheetReview };
}
export type PublicLinkService = ReturnType<typeof createPublicLinkService>;
