import { crashPoint } from '../../crash-points.js';
import { nowIso } from '../../db/time.js';
import type { Lane } from '../../domain/track-status.js';
import { isBadMediaInput } from '../../media/media-error.js';
import type { ProcessingRepository } from '../../repositories/processing.repository.js';
import type { JobContext } from '../queue.js';

export interface LaneKey {
  tenantId: string;
  trackId: string;
  assetId: string;
}

export type LaneOutcome = { status: 'succeeded' | 'skipped' | 'not_configured' | 'running'; result?: unknown; error?: string | null };

/** A failure no retry can fix (the file is not audio): the lane fails at once. */
export class PermanentLaneError extends Error {}

const isPermanent = (err: unknown) => err instanceof PermanentLaneError || isBadMediaInput(err);

/**
 * Runs one lane: marks it running, records the outcome or the error, and rethrows transient
 * errors while attempts remain so the queue retries with backoff.
 */
export async function runLane(
  processing: ProcessingRepository,
  key: LaneKey,
  lane: Lane,
  ctx: JobContext,
  work: () => Promise<LaneOutcome>,
): Promise<LaneOutcome | null> {
  const startedAt = nowIso();
  await processing.upsertLane({ ...key, lane }, { status: 'running', attempts: ctx.attempt, startedAt, finishedAt: null, error: null });
  try {
    const outcome = await work();
    crashPoint(`lane.${lane}.worked`);
    await processing.upsertLane(
      { ...key, lane },
      {
        status: outcome.status,
        result: JSON.stringify(outcome.result ?? {}),
        error: outcome.error ?? null,
        finishedAt: outcome.status === 'running' ? null : nowIso(),
      },
    );
    return outcome;
  } catch (err) {
    const message = describe(err);
    const final = isPermanent(err) || ctx.attempt >= ctx.maxAttempts;
    await processing.upsertLane({ ...key, lane }, { status: final ? 'failed' : 'pending', error: message, finishedAt: final ? nowIso() : null });
    if (!final) throw err;
    return null;
  }
}

function describe(err: unknown): string {
  // The input's own fault leads with its stable code, so clients can tell it from a crash.
  if (isBadMediaInput(err)) return `${err.code}: ${err.message}`.slice(0, 2000);
  if (err instanceof Error) {
    const stderr = (err as { stderr?: string }).stderr;
    return (stderr ? `${err.message}: ${stderr.slice(-500)}` : err.message).slice(0, 2000);
  }
  return String(err).slice(0, 2000);
}
