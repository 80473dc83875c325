import { nowIso, parseJson } from '../db/time.js';
import { LANE_JOBS, type LaneJobName } from '../domain/lanes.js';
import { LANES, laneMapOf, trackReadiness, type Lane, type LaneStatus } from '../domain/track-status.js';
import { notFound } from '../errors.js';
import type { Queue } from '../jobs/queue.js';
import type { AssetRepository } from '../repositories/asset.repository.js';
import type { LaneRow, ProcessingRepository } from '../repositories/processing.repository.js';
import type { TrackRepository, TrackRow } from '../repositories/track.repository.js';

export interface LaneView {
  status: LaneStatus;
  attempts: number;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

export interface ProcessingStatus {
  trackId: string;
  versionId: string | null;
  stages: Record<string, LaneView>;
  assets: Array<{ id: string; kind: string; name: string | null; status: string; contentType: string; size: number | null; fileName: string; createdAt: string }>;
  remoteDispatches: Array<{ id: string; lane: string; status: string; attempts: number; error: string | null; createdAt: string; completedAt: string | null }>;
  ingestionRun?: { assetId: string; startedAt: string; finishedAt: string | null };
  readiness: ReturnType<typeof trackReadiness>;
}

/**
 * The singleton key of an asset's lane jobs (singletons are per job name and key): whoever queues
 * a lane job (the probe's fan-out, start-up recovery) uses it, so none runs twice at once.
 */
export const laneJobKey = (assetId: string): string => assetId;

export interface ProcessingDeps {
  queue: Queue;
  tracks: TrackRepository;
  assets: AssetRepository;
  processing: ProcessingRepository;
}

export function createProcessingService(deps: ProcessingDeps) {
  const { queue, tracks, assets, processing } = deps;
  const payload = (t: { tenantId: string; trackId: string; assetId: string }) => ({ tenantId: t.tenantId, trackId: t.trackId, assetId: t.assetId });

  /** Marks every lane pending for a newly uploaded audio asset and queues the probe. */
  async function startProcessing(tenantId: string, trackId: string, assetId: string): Promise<void> {
    for (const lane of LANES) await processing.upsertLane({ tenantId, trackId, assetId, lane }, { status: 'pending', error: null, attempts: 0 });
    await queue.enqueue(LANE_JOBS.probe, { tenantId, trackId, assetId }, { singletonKey: laneJobKey(assetId) });
  }

  /** The audio asset that currently plays for a track (its current version), if any. */
  async function currentAudioAsset(track: TrackRow): Promise<string | null> {
    if (!track.currentVersionId) return null;
    const v = await tracks.findVersion(track.id, track.currentVersionId);
    return v?.assetId ?? null;
  }


  async function statusOf(track: TrackRow): Promise<ProcessingStatus> {
    const assetId = await currentAudioAsset(track);
    const lanes = assetId ? await processing.lanesForAsset(assetId) : [];
    const stages: Record<string, LaneView> = {};
    for (const lane of LANES) {
      const r = lanes.find((l) => l.lane === lane);
      stages[lane] = r
        ? { status: r.status as LaneStatus, attempts: r.attempts, error: r.error, startedAt: r.startedAt, finishedAt: r.finishedAt, updatedAt: r.updatedAt }
        : { status: 'pending', attempts: 0, error: null, startedAt: null, finishedAt: null, updatedAt: track.updatedAt };
    }
    const trackAssets = await assets.listForTrack(track.tenantId, track.id);
    const dispatches = await processing.dispatchesForTrack(track.id);
    const started = lanes.map((l) => l.startedAt).filter((s): s is string => !!s).sort()[0];
    const unfinished = lanes.some((l) => l.status === 'pending' || l.status === 'running');
    const finished = lanes.map((l) => l.finishedAt).filter((s): s is string => !!s).sort().at(-1) ?? null;
    const readiness = assetId ? trackReadiness(laneMapOf(lanes)) : trackReadiness({});
    return {
      trackId: track.id,
      versionId: track.currentVersionId,
      stages,
      assets: trackAssets
        .filter((a) => ['audio', 'artwork', 'document', 'stem'].includes(a.kind))
        .map((a) => ({ id: a.id, kind: a.kind, name: a.name, status: a.status, contentType: a.contentType, size: a.size, fileName: a.fileName, createdAt: a.createdAt })),
      remoteDispatches: dispatches.map((d) => ({ id: d.id, lane: d.lane, status: d.status, attempts: d.attempts, error: d.error, createdAt: d.createdAt, completedAt: d.completedAt })),
      ...(assetId && started ? { ingestionRun: { assetId, startedAt: started, finishedAt: unfinished ? null : finished } } : {}),
      readiness: assetId ? readiness : { ...readiness, state: 'awaiting_upload' },
    };
  }

  async function status(tenantId: string, trackId: string): Promise<ProcessingStatus> {
    const track = await tracks.find(tenantId, trackId);
    if (!track) throw notFound('track_not_found', 'Track not found');
    return statusOf(track);
  }

  /**
   * Re-queues the failed lanes of the current version. 'dispatched' when something was queued,
   * 'running' when lanes are still in flight and nothing needed queueing.
   */
  async function retry(tenantId: string, trackId: string): Promise<'dispatched' | 'running' | 'nothing_to_retry'> {
    const track = await tracks.find(tenantId, trackId);
    if (!track) throw notFound('track_not_found', 'Track not found');
    const assetId = await currentAudioAsset(track);
    if (!assetId) return 'nothing_to_retry';
    const lanes = await processing.lanesForAsset(assetId);
    const inFlight = lanes.some((l) => l.status === 'pending' || l.status === 'running');
    const failed = lanes.filter((l) => l.status === 'failed');
    if (failed.length === 0) return inFlight ? 'running' : 'nothing_to_retry';
    const probeFailed = failed.some((l) => l.lane === 'probe');
    const jobs = new Set<LaneJobName>(probeFailed ? [LANE_JOBS.probe] : failed.map((l) => LANE_JOBS[l.lane as Lane]));
    const now = nowIso();
    for (const l of failed) await processing.upsertLane({ tenantId, trackId, assetId, lane: l.lane }, { status: 'pending', error: null, finishedAt: null, result: l.result });
    let queued = false;
    for (const name of jobs) queued = (await queue.enqueue(name, payload({ tenantId, trackId, assetId }), { singletonKey: `${assetId}:retry:${now}` })) !== null || queued;
    return queued ? 'dispatched' : 'running';
  }

  /** Re-queues lanes a crashed process left pending or running (the jobs themselves are durable; this covers lanes whose job finished but whose row did not). */
  async function recoverUnfinished(): Promise<number> {
    const unstarted = await processing.listVersionsWithoutLanes();
    for (const v of unstarted) await startProcessing(v.tenantId, v.trackId, v.assetId);
    const rows = await processing.listUnfinished();
    const byAsset = new Map<string, LaneRow[]>();
    for (const r of rows) byAsset.set(r.assetId, [...(byAsset.get(r.assetId) ?? []), r]);
    for (const [assetId, lanes] of byAsset) {
      const p = payload(lanes[0]);
      const probe = await processing.findLane(assetId, 'probe');
      if (!probe || probe.status !== 'succeeded') {
        await queue.enqueue(LANE_JOBS.probe, p, { singletonKey: laneJobKey(assetId) });
        continue;
      }
      for (const name of new Set(lanes.map((l) => LANE_JOBS[l.lane as Lane]))) await queue.enqueue(name, p, { singletonKey: laneJobKey(assetId) });
    }
    return byAsset.size;
  }

  async function laneResult<T>(assetId: string, lane: Lane): Promise<{ status: LaneStatus; result: T } | null> {
    const row = await processing.findLane(assetId, lane);
    return row ? { status: row.status as LaneStatus, result: parseJson<T>(row.result, {} as T) } : null;
  }

  /** Observers of lane status writes, whoever wrote them (lanes, retries, remote callbacks). */
  const onLaneWritten = processing.onLaneWritten;

  return { startProcessing, status, statusOf, retry, recoverUnfinished, currentAudioAsset, laneResult, onLaneWritten };
}
export type ProcessingService = ReturnType<typeof createProcessingService>;
