import type { CoreDeps } from '../../container.js';
import type { JobHandler } from '../queue.js';
import { runLane } from './lane-runner.js';
import { dispatchRemote } from './remote-dispatch.js';

/** Lyrics embedded in the file's tags (the probe stored them); otherwise a remote transcriber when configured. */
export function createLyricsLane(c: CoreDeps<'config' | 'store', 'assets' | 'processing' | 'tracks'>): JobHandler<'lane.lyrics'> {
  return async (payload, ctx) => {
    const asset = await c.repos.assets.find(payload.tenantId, payload.assetId);
    if (!asset) return;
    await runLane(c.repos.processing, payload, 'lyrics', ctx, async () => {
      const track = await c.repos.tracks.find(payload.tenantId, payload.trackId);
      if (track?.lyrics && track.lyricsSource === 'embedded') return { status: 'succeeded', result: { source: 'embedded' } };
      if (track?.lyrics) return { status: 'skipped', result: { source: track.lyricsSource ?? 'user', reason: 'lyrics already provided' } };
      return dispatchRemote(c, payload, 'lyrics', asset.storageKey);
    });
  };
}
