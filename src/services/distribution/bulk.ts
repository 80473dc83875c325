import { AppError } from '../../errors.js';

export interface BulkOutcome<T, R> {
  done: R[];
  errors: Array<{ item: T; reason: string }>;
}

/**
 * Runs `work` on each item in turn: a client's mistake in one item (a 4xx) is recorded against it
 * and the others go on; anything else stops the batch, since it would fail them all.
 */
export async function eachItem<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<BulkOutcome<T, R>> {
  const outcome: BulkOutcome<T, R> = { done: [], errors: [] };
  for (const item of items) {
    try {
      outcome.done.push(await work(item));
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      outcome.errors.push({ item, reason: err.message });
    }
  }
  return outcome;
}
