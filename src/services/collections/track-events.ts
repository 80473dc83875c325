import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import type { LaneWrite } from '../../repositories/processing.repository.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import type { TrackRecord } from '../../repositories/collections/collection-track.repository.js';
import type { EventOf } from '../../catalog/events.js';
import { isSettled } from '../../domain/track-status.js';
import type { ProbeResult } from '../lane-results.js';
import { presentFile, type TrackFile, type TrackFiles } from './track-files.js';
import { defaultExtras } from './track-extras.js';
import { isTerminal, type TrackViews } from './track-views.js';
import type { WebhookService } from './webhook.service.js';


/**
 * Turns pipeline progress into AudioDN webhooks: `track_file.*` once per produced (or failed)
 * file and `track.status_changed` when a track reaches a terminal status it was not already
 * reported in. Only tracks filed in a collection are reported.
 */
export function createTrackEvents(deps: { core: CoreDeps<'config', 'tenants', 'processing'>; repos: Pick<CollectionsRepositories, 'tracks'>; views: TrackViews; files: TrackFiles; webhooks: WebhookService }) {
  const { core, repos, views, files, webhooks } = deps;
  const hasWebhook = async (tenantId: string) => !!(await core.repos.tenants.findById(tenantId))?.webhookUrl;

  function trackRefs(record: TrackRecord) {
    return {
      creator_id: record.extras?.creatorId ?? null,
      collection_id: record.track.collectionId,
      track_id: record.track.id,
    };
  }

  async function emitFile(record: TrackRecord, file: TrackFile): Promise<void> {
    await webhooks.emit(record.track.tenantId, file.isSuccess ? 'track_file.created' : 'track_file.failed', {
      status: file.isSuccess ? 'success' : 'failed',
      ...trackRefs(record),
      file_id: file.id,
      message: file.statusText,
      file: presentFile(file, core.config.publicUrl),
    });
  }

  /**
   * What the Track Processing webhook's `track` carries beyond the track object of the API:
   * `index` (the organization index, else the id), the file name as the client gave it, the
   * track's place in its collection and the source's format as the probe read it.
   */
  async function webhookTrackFields(record: TrackRecord) {
    const probe = record.sourceAssetId ? await core.services.processing.laneResult<ProbeResult>(record.sourceAssetId, 'probe') : null;
    const p = probe?.status === 'succeeded' ? probe.result : null;
    return {
      index: record.extras?.organizationIndex ?? record.track.id,
      file_name_original: record.extras?.fileName ?? null,
      order: record.track.collectionId ? await repos.tracks.positionInCollection(record.track.collectionId, record.track.id) : 0,
      format: p ? { container: p.container, codec: p.codec, mime_type: p.mimeType, sample_rate: p.sampleRate, channels: p.channels, bit_rate: p.bitrate } : null,
    };
  }

  /** Reports the track's status when it is terminal and differs from the last one reported. */
  async function evaluate(tenantId: string, trackId: string): Promise<void> {
    let record = await repos.tracks.findRecord(tenantId, trackId);
    if (!record?.track.collectionId) return;
    const status = await views.statusOf(record);
    if (!isTerminal(status)) return;
    if (!record.extras) {
      const now = nowIso();
      await repos.tracks.ensure(defaultExtras(tenantId, trackId, now));
      record = (await repos.tracks.findRecord(tenantId, trackId))!;
    }
    const previous = record.extras!.notifiedStatus;
    if (!(await repos.tracks.claimNotifiedStatus(trackId, status))) return;
    const completedAt = record.extras!.filesCompletedAt ?? nowIso();
    if (!record.extras!.filesCompletedAt) await repos.tracks.update(trackId, { filesCompletedAt: completedAt });
    if (!(await hasWebhook(tenantId))) return;
    const fresh = (await repos.tracks.findRecord(tenantId, trackId)) ?? record;
    const [view, all, extra] = await Promise.all([views.presentOne(fresh), files.filesOf(fresh), webhookTrackFields(fresh)]);
    await webhooks.emit(tenantId, 'track.status_changed', {
      status,
      previous_status: previous,
      ...trackRefs(fresh),
      upload_session_id: fresh.extras?.uploadSessionId ?? null,
      track: { ...view, ...extra },
      files: all.map((f) => presentFile(f, core.config.publicUrl)),
    });
  }

  async function onLane(write: LaneWrite): Promise<void> {
    if (!isSettled(write.status)) return;
    const record = await repos.tracks.findRecord(write.tenantId, write.trackId);
    if (!record?.track.collectionId || record.sourceAssetId !== write.assetId) return;
    if ((write.lane === 'playback' || write.lane === 'waveform') && (write.status === 'succeeded' || write.status === 'failed') && (await hasWebhook(write.tenantId))) {
      if (write.lane === 'playback') {
        for (const f of await files.playbackFiles(record)) await emitFile(record, f);
      } else {
        const levels = files.defaults(write.tenantId).find((v) => v.type === 'levels')!;
        const ok = write.status === 'succeeded';
        await emitFile(record, { id: files.fileId(record.track.id, 'levels'), variant: levels, storageKey: null, mimeType: 'application/json', size: null, fileName: 'levels.json', isSuccess: ok, statusText: ok ? null : 'waveform failed' });
      }
    }
    await evaluate(write.tenantId, write.trackId);
  }

  /** A new audio version: its source file is reported as produced. */
  async function onVersionAdded(e: EventOf<'track.version_added'>): Promise<void> {
    const record = await repos.tracks.findRecord(e.tenantId, e.trackId);
    if (!record?.track.collectionId || !(await hasWebhook(e.tenantId))) return;
    const original = await files.originalFile(record);
    if (original) await emitFile(record, original);
  }

  return { evaluate, emitFile, onLane, onVersionAdded };
}
export type TrackEvents = ReturnType<typeof createTrackEvents>;
