import type { CoreDeps } from '../../container.js';
import type { JobHandler } from '../queue.js';
import { runLane } from './lane-runner.js';
import { dispatchRemote } from './remote-dispatch.js';

/** Uploaded stems count as the track's stems; otherwise separation by a remote worker when configured. */
export function createStemsLane(c: CoreDeps<'config' | 'store', 'assets' | 'processing'>): JobHandler<'lane.stems'> {
  return async (payload, ctx) => {
    const asset = await c.repos.assets.find(payload.tenantId, payload.assetId);
    if (!asset) return;
    await runLane(c.repos.processing, payload, 'stems', ctx, async () => {
      const stems = (await c.repos.assets.listForTrack(payload.tenantId, payload.trackId, ['stem'])).filter((s) => s.status !== 'pending');
      if (stems.length > 0) return { status: 'succeeded', result: { source: 'uploaded', count: stems.length } };
      return dispatchRemote(c, payload, 'stems', asset.storageKey);
    });
  };
}
