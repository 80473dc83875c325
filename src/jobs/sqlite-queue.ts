import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { JobsTable } from '../db/tables/catalog.js';
import { uniqueViolation } from '../db/unique-violation.js';
import { uuidv7 } from '../domain/ids.js';
import { backoffMs, type BackoffOptions } from './backoff.js';
import type { IdleOptions, IdleQueue, QueueLogger } from './create-queue.js';
import { JOB_NAMES, type JobName, type JobPayloads } from './job-names.js';
import type { JobHandler, JobOptions } from './queue.js';

export interface SqliteQueueOptions {
  db: Db;
  /** Written to `locked_by`; unique per process by default so leases of a dead process are recognisable. */
  workerId?: string;
  pollIntervalMs?: number;
  /** How long a claim stays valid without a heartbeat; running jobs are extended every third of it. */
  leaseMs?: number;
  defaultMaxAttempts?: number;
  backoff?: BackoffOptions;
  /** How long stop() lets running handlers finish before aborting them. */
  graceMs?: number;
  /** Completed rows older than this are deleted (checked hourly). */
  retainCompletedMs?: number;
  logger?: QueueLogger;
}

type JobRow = Selectable<JobsTable>;
interface Registration { handler: JobHandler<JobName>; concurrency: number }
interface Running { id: string; name: string; controller: AbortController; done: Promise<void> }

const iso = (ms: number): string => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const PRUNE_EVERY_MS = 60 * 60_000;
export const silentLogger: QueueLogger = { info() {}, warn() {}, error() {} };

/** True when `p` settles within `ms`; the timer is unref'd so it never holds a stopping process open. */
const settlesWithin = (p: Promise<unknown>, ms: number): Promise<boolean> => Promise.race([p.then(() => true), delay(ms, false, { ref: false })]);

export function errorMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message || err.name : String(err);
  return msg.length > 2000 ? `${msg.slice(0, 2000)}…` : msg;
}

/** Jobs in the `jobs` table, worked in-process; a claim is a lease that running workers keep extending. */
export function createSqliteQueue(opts: SqliteQueueOptions): IdleQueue {
  return new TableQueue(opts);
}

class TableQueue implements IdleQueue {
  readonly kind = 'sqlite' as const;
  readonly describe: string;
  private readonly db: Db;
  private readonly o: Required<Omit<SqliteQueueOptions, 'db' | 'logger'>>;
  private readonly log: QueueLogger;
  private readonly handlers = new Map<JobName, Registration>();
  private readonly running = new Map<string, Running>();
  private readonly busyByName = new Map<string, number>();
  private started = false;
  private stopping = false;
  private pumping: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private again = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastPruneAt = 0;

  constructor({ db, logger, ...o }: SqliteQueueOptions) {
    this.db = db;
    this.log = logger ?? silentLogger;
    this.o = {
      workerId: o.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      pollIntervalMs: o.pollIntervalMs ?? 250,
      leaseMs: o.leaseMs ?? 5 * 60_000,
      defaultMaxAttempts: o.defaultMaxAttempts ?? 3,
      backoff: o.backoff ?? {},
      graceMs: o.graceMs ?? 10_000,
      retainCompletedMs: o.retainCompletedMs ?? 24 * 60 * 60_000,
    };
    this.describe = `jobs table (worker ${this.o.workerId})`;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts: JobOptions = {}): Promise<string | null> {
    const maxAttempts = opts.maxAttempts ?? this.o.defaultMaxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be a positive integer, got ${maxAttempts}`);
    const now = Date.now();
    const delayMs = Math.max(0, (opts.delaySeconds ?? 0) * 1000);
    const id = uuidv7(now);
    try {
      await this.db
        .insertInto('jobs')
        .values({ id, name, payload: JSON.stringify(payload ?? {}), status: 'queued', attempts: 0, maxAttempts, runAt: iso(now + delayMs), singletonKey: opts.singletonKey ?? null, createdAt: iso(now), updatedAt: iso(now) })
        .execute();
    } catch (err) {
      // The partial unique index on (name, singleton_key) over queued/active rows is the dedup, race-free across processes.
      if (opts.singletonKey !== undefined && uniqueViolation(err)) return null;
      throw err;
    }
    if (delayMs === 0) this.kick();
    return id;
  }

  register<N extends JobName>(name: N, handler: JobHandler<N>, opts: { concurrency?: number } = {}): void {
    const concurrency = opts.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency of ${name} must be a positive integer`);
    this.handlers.set(name, { handler: handler as unknown as JobHandler<JobName>, concurrency });
    this.kick();
  }

  async start(): Promise<void> {
    const missing = JOB_NAMES.filter((n) => !this.handlers.has(n));
    if (missing.length) throw new Error(`cannot start the job queue: no handler registered for ${missing.join(', ')}`);
    if (this.started) return;
    this.started = true;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), Math.max(10, Math.floor(this.o.leaseMs / 3)));
    this.kick();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopped ??= this.drain().finally(() => {
      this.stopped = undefined;
      this.started = this.stopping = false;
    });
    return this.stopped;
  }

  private async drain(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.pollTimer);
    await this.pumping;
    const allDone = () => Promise.allSettled([...this.running.values()].map((r) => r.done));
    if (!(await settlesWithin(allDone(), this.o.graceMs))) {
      for (const r of this.running.values()) r.controller.abort(new Error('the job queue is stopping'));
      // Give aborted handlers a moment to record their outcome; whatever still runs is reclaimed when its lease lapses.
      if (!(await settlesWithin(allDone(), Math.min(2000, this.o.graceMs)))) {
        this.log.warn({ jobs: [...this.running.values()].map((r) => r.id) }, 'jobs still running after abort; their leases will expire');
      }
    }
    clearInterval(this.heartbeatTimer);
  }

  async check(): Promise<void> {
    await this.db.selectFrom('jobs').select('id').limit(1).execute();
  }

  async onIdle(opts: IdleOptions = {}): Promise<void> {
    const { timeoutMs = 60_000, withinMs = 0 } = opts;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending = await this.pendingCount(withinMs);
      if (pending === 0 && this.running.size === 0) return;
      if (Date.now() >= deadline) throw new Error(`job queue not idle after ${timeoutMs} ms (${pending} job(s) queued or running)`);
      await sleep(Math.min(50, this.o.pollIntervalMs));
    }
  }

  private async pendingCount(withinMs: number): Promise<number> {
    const row = await this.db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).where((eb) => eb.or([eb('status', '=', 'active'), eb.and([eb('status', '=', 'queued'), eb('runAt', '<=', iso(Date.now() + withinMs))])]))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Polls now: on start, after a local enqueue of a due job, and when a handler frees a slot. */
  private kick(): void {
    if (!this.started || this.stopping) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    clearTimeout(this.pollTimer);
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.again) this.kick();
      else if (this.started && !this.stopping) this.pollTimer = setTimeout(() => this.kick(), this.o.pollIntervalMs);
    });
  }

  private async pump(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.reclaimExpired();
        while (!this.stopping && (await this.claimOne()));
        await this.pruneCompleted();
      } catch (err) {
        this.log.error({ err }, 'job queue poll failed');
      }
    } while (this.again && !this.stopping);
  }

  private freeNames(): JobName[] {
    return [...this.handlers].filter(([name, r]) => (this.busyByName.get(name) ?? 0) < r.concurrency).map(([name]) => name);
  }

  private async claimOne(): Promise<boolean> {
    const names = this.freeNames();
    if (!names.length) return false;
    const now = Date.now();
    // One statement picks and locks the oldest due job; `status = 'queued'` is re-checked by the UPDATE, so
    // two workers racing for the same row (PostgreSQL, or another process) cannot both win it.
    const row = await this.db
      .updateTable('jobs')
      .set((eb) => ({ status: 'active', attempts: eb('attempts', '+', 1), lockedUntil: iso(now + this.o.leaseMs), lockedBy: this.o.workerId, updatedAt: iso(now) }))
      .where('id', '=', (eb) =>
        eb.selectFrom('jobs').select('id').where('status', '=', 'queued').where('name', 'in', names).where('runAt', '<=', iso(now)).orderBy('runAt').orderBy('id').limit(1),
      )
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    if (!row) return false;
    this.run(row);
    return true;
  }

  private run(row: JobRow): void {
    const controller = new AbortController();
    const key = `${row.id}#${row.attempts}`;
    this.busyByName.set(row.name, (this.busyByName.get(row.name) ?? 0) + 1);
    const entry: Running = { id: row.id, name: row.name, controller, done: Promise.resolve() };
    this.running.set(key, entry);
    entry.done = this.execute(row, controller.signal).finally(() => {
      this.running.delete(key);
      this.busyByName.set(row.name, (this.busyByName.get(row.name) ?? 1) - 1);
      this.kick();
    });
  }

  private async execute(row: JobRow, signal: AbortSignal): Promise<void> {
    let failure: { err: unknown } | undefined;
    try {
      const reg = this.handlers.get(row.name as JobName);
      if (!reg) throw new Error(`no handler registered for ${row.name}`);
      await reg.handler(JSON.parse(row.payload), { id: row.id, attempt: row.attempts, maxAttempts: row.maxAttempts, signal });
    } catch (err) {
      failure = { err };
    }
    try {
      if (failure) await this.recordFailure(row, failure.err);
      else await this.settle(row, { status: 'completed' });
    } catch (err) {
      this.log.error({ err, jobId: row.id, job: row.name }, 'could not record the outcome of a job');
    }
  }

  private async recordFailure(row: JobRow, err: unknown): Promise<void> {
    const set = this.outcome(row, errorMessage(err));
    const fields = { jobId: row.id, job: row.name, attempt: row.attempts, maxAttempts: row.maxAttempts, error: set.lastError };
    if (set.status === 'failed') this.log.error(fields, 'job failed; no attempts left');
    else this.log.warn(fields, 'job failed; will retry');
    await this.settle(row, set);
  }

  /** A failed attempt: back to the queue after a backoff while attempts remain, else failed for good. */
  private outcome(j: { attempts: number; maxAttempts: number }, lastError: string): { status: string; lastError: string; runAt?: string } {
    if (j.attempts >= j.maxAttempts) return { status: 'failed', lastError };
    return { status: 'queued', lastError, runAt: iso(Date.now() + backoffMs(j.attempts, this.o.backoff)) };
  }

  /** Ends this worker's claim; the attempt number fences off a claim that was reclaimed meanwhile. */
  private async settle(row: JobRow, set: { status: string; lastError?: string; runAt?: string }): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ ...set, lockedUntil: null, lockedBy: null, updatedAt: iso(Date.now()) })
      .where((eb) => eb.and({ id: row.id, status: 'active', lockedBy: this.o.workerId, attempts: row.attempts }))
      .execute();
  }

  /** Extends the leases of running jobs; a job whose lease was taken over meanwhile is aborted here. */
  private async heartbeat(): Promise<void> {
    if (!this.running.size) return;
    try {
      const held = await this.db
        .updateTable('jobs')
        .set({ lockedUntil: iso(Date.now() + this.o.leaseMs) })
        .where((eb) => eb.and({ status: 'active', lockedBy: this.o.workerId }))
        .returning(['id', 'attempts'])
        .execute();
      const keys = new Set(held.map((h) => `${h.id}#${h.attempts}`));
      for (const [key, r] of this.running) {
        if (!keys.has(key) && !r.controller.signal.aborted) {
          this.log.warn({ jobId: r.id, job: r.name }, 'job lease lost; aborting the handler');
          r.controller.abort(new Error('the job lease ran out'));
        }
      }
    } catch (err) {
      this.log.error({ err }, 'could not extend job leases');
    }
  }

  /** A lease that ran out means its worker died or hung: the attempt counts as failed. */
  private async reclaimExpired(): Promise<void> {
    const now = iso(Date.now());
    const expired = await this.db.selectFrom('jobs').select(['id', 'name', 'attempts', 'maxAttempts', 'lockedBy']).where('status', '=', 'active').where('lockedUntil', '<', now).execute();
    for (const j of expired) {
      const lastError = `lease expired: worker ${j.lockedBy ?? 'unknown'} stopped responding`;
      const res = await this.db
        .updateTable('jobs')
        .set({ ...this.outcome(j, lastError), lockedUntil: null, lockedBy: null, updatedAt: iso(Date.now()) })
        .where((eb) => eb.and([eb.and({ id: j.id, status: 'active', attempts: j.attempts }), eb('lockedUntil', '<', now)]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) > 0) this.log.warn({ jobId: j.id, job: j.name, attempt: j.attempts, maxAttempts: j.maxAttempts }, lastError);
    }
  }

  private async pruneCompleted(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = now;
    await this.db.deleteFrom('jobs').where('status', '=', 'completed').where('updatedAt', '<', iso(now - this.o.retainCompletedMs)).execute();
  }
}
