import type { JobName, JobPayloads } from './job-names.js';

export interface JobOptions {
  /** At most one queued-or-running job per (name, singletonKey): enqueueing again returns null. */
  singletonKey?: string;
  maxAttempts?: number;
  delaySeconds?: number;
}

export interface JobContext {
  id: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the worker is stopping or the lease ran out. */
  signal: AbortSignal;
}

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], ctx: JobContext) => Promise<void>;

/**
 * Durable jobs. Any process may enqueue; only processes that call start() work them.
 * Embedded: a table in the SQLite database, worked in-process. Scale-out: pg-boss.
 */
export interface Queue {
  readonly kind: 'sqlite' | 'pg-boss';
  readonly describe: string;
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts?: JobOptions): Promise<string | null>;
  /** Registers the handler of a job name; start() refuses to run when a known name has none. */
  register<N extends JobName>(name: N, handler: JobHandler<N>, opts?: { concurrency?: number }): void;
  start(): Promise<void>;
  /** Stops taking jobs, waits for running ones (up to a grace period), aborts the rest. */
  stop(): Promise<void>;
  check(): Promise<void>;
  /** Resolves when nothing is queued, delayed within `withinMs`, or running (shutdown, CLI import, tests). */
  onIdle(opts?: { timeoutMs?: number }): Promise<void>;
}
