import { nowIso } from '../../db/time.js';
import { embeddedTagPatch } from '../../catalog/embedded-tags.js';
import { PROBE_DEPENDENT_LANES, PROBE_FAN_OUT } from '../../domain/lanes.js';
import { probeAudio } from '../../media/probe.js';
import type { CoreDeps } from '../../container.js';
import { storedProbe, toProbeResult, type ProbeResult } from '../../services/lane-results.js';
import type { JobHandler } from '../queue.js';
import { laneJobKey } from '../../services/processing.service.js';
import { adoptEmbeddedArtwork } from './embedded-artwork.js';
import { runLane } from './lane-runner.js';

/** Probes the source, fills the track's duration and what its tags say that nobody set (title, artist, album, ISRC, track number), then fans out. */
export function createProbeLane(
  /** `config` and `db` for adopting embedded artwork. */
  c: CoreDeps<'queue' | 'store' | 'media' | 'config' | 'db', 'assets' | 'processing' | 'tracks'>,
): JobHandler<'lane.probe'> {
  return async (payload, ctx) => {
    const asset = await c.repos.assets.find(payload.tenantId, payload.assetId);
    if (!asset) return; // the track was deleted meanwhile
    const outcome = await runLane(c.repos.processing, payload, 'probe', ctx, async () => {
      // Bytes probed on receipt are not fetched and probed again (unless their embedded art is wanted).
      const stored = storedProbe(asset.metadata, asset.size);
      const probe = stored ? null : await probeSource(c, asset.storageKey);
      const result = stored ?? toProbeResult(probe!);
      const isCurrent = await applyToTrack(c, payload.tenantId, payload.trackId, asset.id, result);
      if (isCurrent && result.hasArtwork) await adoptEmbeddedArtwork(c, payload, async () => (probe ?? (await probeSource(c, asset.storageKey))).artwork);
      return { status: 'succeeded', result };
    });
    if (outcome?.status === 'succeeded') {
      // A probe job run again after a crash finds its downstream work done: that is not redone
      // (the track would flicker back to processing). Lanes never run, skipped or failed are.
      const done = new Set((await c.repos.processing.lanesForAsset(payload.assetId)).filter((l) => l.status === 'succeeded' || l.status === 'not_configured').map((l) => l.lane));
      for (const [job, lanes] of PROBE_FAN_OUT) {
        if (lanes.every((lane) => done.has(lane))) continue;
        await c.queue.enqueue(job, payload, { singletonKey: laneJobKey(payload.assetId) });
      }
    } else if (outcome === null && (await c.repos.processing.findLane(payload.assetId, 'probe'))?.status === 'failed') {
      // Nothing downstream can work on a file that is not audio.
      for (const lane of PROBE_DEPENDENT_LANES) {
        await c.repos.processing.upsertLane({ ...payload, lane }, { status: 'skipped', error: 'source could not be probed', finishedAt: nowIso() });
      }
    }
  };
}

async function probeSource(c: CoreDeps<'store' | 'media'>, key: string) {
  const file = await c.store.materialize(key);
  try {
    return await probeAudio(c.media, file.path);
  } finally {
    await file.cleanup();
  }
}

/** Keeps the probe on the asset and, for the track's current version, its facts on the track; true when it was the current version. */
async function applyToTrack(c: CoreDeps<never, 'tracks' | 'assets'>, tenantId: string, trackId: string, assetId: string, p: ProbeResult): Promise<boolean> {
  const track = await c.repos.tracks.find(tenantId, trackId);
  if (!track) return false;
  const version = await c.repos.tracks.findVersionByAsset(assetId);
  const isCurrent = version && track.currentVersionId === version.id;
  await c.repos.assets.update(assetId, { metadata: JSON.stringify(p), updatedAt: nowIso() });
  if (!isCurrent) return false;
  await c.repos.tracks.update(tenantId, trackId, { durationMs: p.durationMs, ...embeddedTagPatch(track, p.tags), updatedAt: nowIso() });
  return true;
}
