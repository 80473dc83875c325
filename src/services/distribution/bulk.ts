import { crashPoint } from '../../crash-points.js';
import { AppError } from '../../errors.js';

export interface BulkOutcome<T, R> {
  done: R[];
  /** A failed item is named by its place in the batch, and echoed only while it is small. */
  errors: Array<{ index: number; item?: T; reason: string }>;
}

const ECHO_LIMIT = 2048;

function echo<T>(item: T): T | undefined {
  try {
    const text = JSON.stringify(item);
    return text === undefined || text.length <= ECHO_LIMIT ? item : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` on each item in turn: a client's mistake in one item (a 4xx) is recorded against it
 * and the others go on; anything else stops the batch, since it would fail them all.
 */
export async function eachItem<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<BulkOutcome<T, R>> {
  const outcome: BulkOutcome<T, R> = { done: [], errors: [] };
  for (const [index, item] of items.entries()) {
    try {
      outcome.done.push(await work(item));
      crashPoint('bulk.item.done');
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const small = echo(item);
      outcome.errors.push(small === undefined ? { index, reason: err.message } : { index, item: small, reason: err.message });
    }
  }
  return outcome;
}
