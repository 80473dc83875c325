import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transcode } from '../../media/transcode.js';
import type { CoreDeps } from '../../container.js';
import type { PlaybackResult, Rendition } from '../../services/lane-results.js';
import { trackVariant } from '../../storage/object-keys.js';
import type { JobHandler } from '../queue.js';
import { runLane } from './lane-runner.js';

/** Streamable transcodes of the source (AAC and MP3 at 128 kbps by default). */
export function createPlaybackLane(c: CoreDeps<'config' | 'media' | 'store', 'assets' | 'processing' | 'tracks'>): JobHandler<'lane.playback'> {
  return async (payload, ctx) => {
    const asset = await c.repos.assets.find(payload.tenantId, payload.assetId);
    if (!asset) return;
    const version = await c.repos.tracks.findVersionByAsset(payload.assetId);
    await runLane(c.repos.processing, payload, 'playback', ctx, async () => {
      const file = await c.store.materialize(asset.storageKey);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'll-playback-'));
      try {
        const renditions: Rendition[] = [];
        for (const { codec, bitrateKbps } of c.config.media.playbackCodecs) {
          const out = path.join(dir, `out-${codec}-${bitrateKbps}`);
          const t = await transcode(c.media, file.path, out, { codec, bitrateKbps }, { signal: ctx.signal });
          // The original version keeps AudioDN's durable `{base_path}_128.mp3` names; later versions get their own.
          const suffix = version && !version.isOriginal ? `_v${version.id.slice(-8)}_${bitrateKbps}` : `_${bitrateKbps}`;
          const key = trackVariant(payload.tenantId, payload.trackId, suffix, t.extension);
          const size = (await stat(t.output)).size;
          await c.store.put(key, createReadStream(t.output), { contentType: t.mimeType });
          renditions.push({ codec, bitrateKbps, storageKey: key, mimeType: t.mimeType, fileSize: size, durationMs: t.durationMs ?? null });
        }
        const result: PlaybackResult = { renditions };
        return { status: 'succeeded', result };
      } finally {
        await file.cleanup();
        await rm(dir, { recursive: true, force: true });
      }
    });
  };
}
