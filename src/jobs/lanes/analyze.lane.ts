import { nowIso } from '../../db/time.js';
import { analyzeAudio } from '../../media/analyze.js';
import type { CoreDeps } from '../../container.js';
import { publishedTags, type TagsResult, type WaveformResult } from '../../services/lane-results.js';
import { trackWaveform } from '../../storage/object-keys.js';
import type { JobHandler } from '../queue.js';
import { runLane, type LaneKey } from './lane-runner.js';

/**
 * One decode feeds three lanes: waveform peaks, tags (tempo, key, loudness) and the
 * embedding. The lanes share the outcome of that decode.
 */
export function createAnalyzeLane(c: CoreDeps<'store' | 'media', 'assets' | 'processing' | 'tracks'>): JobHandler<'lane.analyze'> {
  return async (payload, ctx) => {
    const asset = await c.repos.assets.find(payload.tenantId, payload.assetId);
    if (!asset) return;
    let analysis: Awaited<ReturnType<typeof analyzeAudio>> | null = null;
    const decode = async () => {
      if (analysis) return analysis;
      const file = await c.store.materialize(asset.storageKey);
      try {
        analysis = await analyzeAudio(c.media, file.path, { signal: ctx.signal });
        return analysis;
      } finally {
        await file.cleanup();
      }
    };
    const waveform = await runLane(c.repos.processing, payload, 'waveform', ctx, async () => {
      const a = await decode();
      const levels = [];
      for (const w of a.waveforms.slice(0, -1)) {
        const key = trackWaveform(payload.tenantId, payload.trackId, payload.assetId, w.samples_per_pixel);
        await c.store.put(key, Buffer.from(JSON.stringify(w)), { contentType: 'application/json' });
        levels.push({ samplesPerPixel: w.samples_per_pixel, length: w.length, storageKey: key });
      }
      const result: WaveformResult = { levels, overview: a.waveforms[a.waveforms.length - 1] as WaveformResult['overview'] };
      return { status: 'succeeded', result };
    });
    if (!waveform) await failDependentLanes(c, payload);
    if (!analysis) return;
    const a = analysis as Awaited<ReturnType<typeof analyzeAudio>>;
    await runLane(c.repos.processing, payload, 'tags', ctx, async () => {
      const tags: TagsResult = {
        bpm: a.tags.bpm,
        bpmEstimate: a.tags.bpmEstimate,
        bpmConfidence: a.tags.bpmConfidence,
        key: a.tags.key,
        mode: a.tags.key ? a.tags.mode : null,
        keyEstimate: a.tags.keyEstimate,
        modeEstimate: a.tags.modeEstimate,
        keyConfidence: a.tags.keyConfidence,
        evidence: a.tags.evidence,
        loudnessLufs: a.tags.loudnessLufs,
        truePeakDb: a.tags.truePeakDb,
      };
      const track = await c.repos.tracks.find(payload.tenantId, payload.trackId);
      const version = await c.repos.tracks.findVersionByAsset(payload.assetId);
      if (track && version && track.currentVersionId === version.id) {
        // A withheld tempo or key leaves what the track has (a value its owner set stays).
        const { bpm, musicalKey } = publishedTags(tags);
        const found = { ...(bpm !== null ? { bpm } : {}), ...(musicalKey !== null ? { musicalKey } : {}) };
        if (Object.keys(found).length) await c.repos.tracks.update(payload.tenantId, payload.trackId, { ...found, updatedAt: nowIso() });
      }
      return { status: 'succeeded', result: tags };
    });
    await runLane(c.repos.processing, payload, 'embeddings', ctx, async () => {
      const vector = Float32Array.from(a.embedding);
      await c.repos.processing.upsertEmbedding({
        assetId: payload.assetId,
        tenantId: payload.tenantId,
        trackId: payload.trackId,
        dims: vector.length,
        vector: Buffer.from(vector.buffer).toString('base64'),
        createdAt: nowIso(),
      });
      return { status: 'succeeded', result: { dims: vector.length } };
    });
  };
}

/** When the decode failed for good, the lanes that needed it cannot run either. */
async function failDependentLanes(c: CoreDeps<never, 'processing'>, key: LaneKey) {
  for (const lane of ['tags', 'embeddings'] as const) {
    await c.repos.processing.upsertLane({ ...key, lane }, { status: 'failed', error: 'audio could not be decoded', finishedAt: nowIso() });
  }
}
