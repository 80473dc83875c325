import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import type { JobHandler } from '../../jobs/queue.js';
import { isBadMediaInput } from '../../media/media-error.js';
import { transcode } from '../../media/transcode.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import { trackVariant } from '../../storage/object-keys.js';
import type { ProbeResult } from '../lane-results.js';
import type { TrackEvents } from './track-events.js';
import type { TrackFiles } from './track-files.js';
import { previewWindow, variantFromRow, variantSuffix } from './variant-catalog.js';

/** Not worth retrying: the source is gone or cannot be decoded. */
class PermanentRenderError extends Error {}

/**
 * Renders a track-specific variant from the current source: a transcode of the whole track or
 * a preview clip, stored at `{base_path}_<index>.<ext>`. Transient failures are retried by the
 * queue; the last attempt marks the variant failed.
 */
export interface VariantRenderJobDeps {
  core: CoreDeps<'media' | 'store', 'assets', 'processing'>;
  repos: Pick<CollectionsRepositories, 'tracks' | 'variants'>;
  files: TrackFiles;
  events: TrackEvents;
}

export function createVariantRenderJob(deps: VariantRenderJobDeps): JobHandler<'variant.render'> {
  const { core, repos, files, events } = deps;
  async function durationSec(assetId: string, trackDurationMs: number | null): Promise<number> {
    if (trackDurationMs) return Number(trackDurationMs) / 1000;
    const probe = await core.services.processing.laneResult<ProbeResult>(assetId, 'probe');
    if (probe?.status === 'succeeded' && probe.result.durationMs) return probe.result.durationMs / 1000;
    if (probe?.status === 'failed' || probe?.status === 'skipped') throw new PermanentRenderError('the source could not be probed');
    throw new Error('the source has not been probed yet');
  }

  async function settle(tenantId: string, trackId: string, variantId: string, ok: boolean, patch: Parameters<CollectionsRepositories['variants']['update']>[1]) {
    const now = nowIso();
    if (!(await repos.variants.finish(variantId, { ...patch, status: ok ? 'ready' : 'failed', updatedAt: now, completedAt: now }))) return;
    await repos.tracks.adjustVariantCounters(trackId, -1, ok ? 0 : 1, now);
    const record = await repos.tracks.findRecord(tenantId, trackId);
    if (!record) return;
    const row = (await repos.variants.find(tenantId, variantId))!;
    await events.emitFile(record, {
      id: files.fileId(trackId, row.variantIndex),
      variant: variantFromRow(row),
      storageKey: row.storageKey,
      mimeType: row.mimeType,
      size: row.fileSize,
      fileName: row.storageKey?.split('/').pop() ?? row.variantIndex,
      isSuccess: ok,
      statusText: row.error,
    });
    await events.evaluate(tenantId, trackId);
  }

  return async ({ tenantId, trackId, variantId }, ctx) => {
    const row = await repos.variants.find(tenantId, variantId);
    if (!row || (row.status !== 'pending' && row.status !== 'processing')) return;
    const record = await repos.tracks.findRecord(tenantId, trackId);
    const asset = record?.sourceAssetId ? await core.repos.assets.find(tenantId, record.sourceAssetId) : undefined;
    if (!record || !asset) {
      await settle(tenantId, trackId, variantId, false, { error: 'the track has no source file' });
      return;
    }
    await repos.variants.update(variantId, { status: 'processing', updatedAt: nowIso() });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'll-variant-'));
    let source: Awaited<ReturnType<typeof core.store.materialize>> | null = null;
    try {
      const v = variantFromRow(row);
      const window = v.type === 'preview' && v.preview ? previewWindow(v.preview, await durationSec(asset.id, record.track.durationMs)) : null;
      if (window && window.durationSec <= 0) throw new PermanentRenderError('the preview window is empty');
      source = await core.store.materialize(asset.storageKey);
      const out = await transcode(
        core.media,
        source.path,
        path.join(dir, 'out'),
        { codec: v.codec!, bitrateKbps: v.bitrate!, channels: v.channels ?? 2, ...(window ? { startSec: window.startSec, durationSec: window.durationSec } : {}) },
        { signal: ctx.signal },
      );
      const key = trackVariant(tenantId, trackId, variantSuffix(v.index, v.id), out.extension);
      await core.store.put(key, createReadStream(out.output), { contentType: out.mimeType });
      await settle(tenantId, trackId, variantId, true, { storageKey: key, mimeType: out.mimeType, fileSize: out.fileSize, durationMs: out.durationMs ?? null, error: null });
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      const permanent = err instanceof PermanentRenderError || isBadMediaInput(err);
      if (!permanent && ctx.attempt < ctx.maxAttempts) {
        await repos.variants.update(variantId, { status: 'pending', error: message, updatedAt: nowIso() });
        throw err;
      }
      await settle(tenantId, trackId, variantId, false, { error: message });
    } finally {
      await source?.cleanup().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  };
}
