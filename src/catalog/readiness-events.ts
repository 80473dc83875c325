import type { Db } from '../db/database.js';
import { nowIso } from '../db/time.js';
import { isSettled, laneMapOf, trackReadiness } from '../domain/track-status.js';
import type { LaneWrite, ProcessingRepository } from '../repositories/processing.repository.js';
import type { EventBus } from './events.js';

/**
 * Lane writes become `track.processing_changed`; when an audio version's lanes settle into a
 * terminal state it becomes `track.ready` (ready or degraded but playable) or `track.failed`,
 * announced once per version and state (a database claim, so across processes too).
 */
export function publishReadiness(deps: { db: Db; processing: Pick<ProcessingRepository, 'onLaneWritten' | 'lanesForAsset'>; events: EventBus }): void {
  const { db, processing, events } = deps;

  async function announce(write: LaneWrite, state: 'ready' | 'failed'): Promise<boolean> {
    const res = await db
      .insertInto('catalogAnnouncements')
      .values({ assetId: write.assetId, state, tenantId: write.tenantId, trackId: write.trackId, createdAt: nowIso() })
      .onConflict((oc) => oc.columns(['assetId', 'state']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  processing.onLaneWritten(async (write) => {
    const ref = { tenantId: write.tenantId, trackId: write.trackId, assetId: write.assetId };
    await events.publish({ type: 'track.processing_changed', ...ref, lane: write.lane, status: write.status });
    if (!isSettled(write.status)) return;
    const { state } = trackReadiness(laneMapOf(await processing.lanesForAsset(write.assetId)));
    const terminal = state === 'ready' || state === 'partial' ? 'ready' : state === 'failed' ? 'failed' : null;
    // The asset may be gone (a purge racing the last lane): its foreign key refuses the claim.
    if (terminal && (await announce(write, terminal).catch(() => false))) {
      await events.publish({ type: terminal === 'ready' ? 'track.ready' : 'track.failed', ...ref });
    }
  });
}
