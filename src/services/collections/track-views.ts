import type { CoreDeps } from '../../container.js';
import { audioDnTrackStatus, type AudioDnTrackStatusId } from '../../domain/track-status.js';
import type { TrackRecord } from '../../repositories/collections/collection-track.repository.js';
import { trackBasePath } from '../../storage/object-keys.js';
import { presentTrack, type TrackView } from './presenters/track.presenter.js';

export const COVER_URL_TTL_SECONDS = 3600;
/** A presentation is reused this long at most, so a cover URL handed out always has 55 minutes left. */
const PRESENTATION_REUSE_MS = 5 * 60_000;

/**
 * AudioDN's `track_status_id` for a track: the pipeline's lanes of its current version, then
 * the track's own variants (a rendering one makes a finished track `processing` again, a
 * failed one leaves it `incomplete`).
 */
export function collectionTrackStatus(record: TrackRecord): AudioDnTrackStatusId {
  let status = audioDnTrackStatus({ hasSource: !!record.sourceAssetId, lanes: record.lanes, playbackAttempts: record.playbackAttempts });
  const x = record.extras;
  if (x && (status === 'ready' || status === 'incomplete')) {
    if (x.variantsRendering > 0) status = 'processing';
    else if (x.variantsFailed > 0) status = 'incomplete';
  }
  return status;
}

export const isTerminal = (s: AudioDnTrackStatusId): boolean => s === 'ready' || s === 'incomplete' || s === 'failed';

/** Turns track records into AudioDN track objects: statuses, durable paths, signed cover URLs. */
export function createTrackViews(deps: { core: CoreDeps<'config' | 'store'> }) {
  const { core } = deps;
  const basePath = (tenantId: string, trackId: string) => trackBasePath(tenantId, trackId);
  const baseUrl = (path: string) => `${core.config.publicUrl}/storage/${path}`;

  async function coverUrl(key: string | null): Promise<string | null> {
    return key ? core.store.signedGetUrl(key, { expiresInSec: COVER_URL_TTL_SECONDS }) : null;
  }

  async function present(records: TrackRecord[]): Promise<TrackView[]> {
    return Promise.all(
      records.map(async (r) => {
        const path = basePath(r.track.tenantId, r.track.id);
        return presentTrack(r, { status: collectionTrackStatus(r), basePath: path, baseUrl: baseUrl(path), coverUrl: await coverUrl(r.artworkKey) });
      }),
    );
  }

  const presentOne = async (record: TrackRecord): Promise<TrackView> => (await present([record]))[0];

  // A cached record stays the same object until something is written, so its presentation and
  // JSON text can live beside it and go with it.
  const presented = new WeakMap<TrackRecord, { json: string; at: number }>();
  /** Track objects as the JSON text of an array, in order. */
  const presentJsonArray = async (records: TrackRecord[]): Promise<string> => `[${(await Promise.all(records.map(presentJson))).join(',')}]`;

  /** The track object as JSON text, for the hottest reads. */
  async function presentJson(record: TrackRecord): Promise<string> {
    const hit = presented.get(record);
    const now = Date.now();
    if (hit && now - hit.at < PRESENTATION_REUSE_MS) return hit.json;
    const json = JSON.stringify(await presentOne(record));
    presented.set(record, { json, at: now });
    return json;
  }
  const statusOf = async (record: TrackRecord): Promise<AudioDnTrackStatusId> => collectionTrackStatus(record);

  return { present, presentOne, presentJson, presentJsonArray, statusOf, coverUrl, basePath, baseUrl };
}
export type TrackViews = ReturnType<typeof createTrackViews>;
