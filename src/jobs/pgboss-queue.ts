import pg from 'pg';
import PgBoss from 'pg-boss';
import type { IdleOptions, IdleQueue, QueueLogger } from './create-queue.js';
import { JOB_NAMES, type JobName, type JobPayloads } from './job-names.js';
import type { JobHandler, JobOptions } from './queue.js';
import { errorMessage, silentLogger } from './sqlite-queue.js';

export interface PgBossQueueOptions {
  connectionString: string;
  /** pg-boss's own schema; created on first use. */
  schema?: string;
  defaultMaxAttempts?: number;
  /**
   * How long a run stays claimed without its worker's heartbeat (JOB_LEASE_SECONDS). pg-boss v10
   * has no heartbeat of its own: its maintenance fails an active job once `started_on + expire_in`
   * has passed and retries it in any worker, and its worker gives a handler `expire_in` to finish.
   * So `expire_in` is the longest a run may take (`maxRunSeconds`), and the lease is kept in
   * `started_on`: while a handler runs, its worker moves `started_on` every third of the lease so
   * that `started_on + expire_in` is one lease ahead. A job whose worker died stops being moved
   * and comes back within the lease plus one maintenance interval.
   */
  leaseSeconds?: number;
  /** Longest a single run may take (pg-boss `expireInSeconds`); 6 hours by default. */
  maxRunSeconds?: number;
  /** First retry delay; later ones double (pg-boss `retryBackoff`, with jitter). */
  retryDelaySeconds?: number;
  pollingIntervalSeconds?: number;
  /** How often expired runs are failed over and old jobs archived; a third of the lease by default. */
  maintenanceIntervalSeconds?: number;
  /** How long stop() lets running handlers finish before aborting them. */
  graceMs?: number;
  logger?: QueueLogger;
}

interface Registration { handler: JobHandler<JobName>; concurrency: number }
type BossJob = PgBoss.JobWithMetadata<JobPayloads[JobName]>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const SCHEMA_RE = /^[a-z_][a-z0-9_]*$/;

export function createPgBossQueue(opts: PgBossQueueOptions): IdleQueue {
  return new PgBossQueue(opts);
}

class PgBossQueue implements IdleQueue {
  readonly kind = 'pg-boss' as const;
  readonly describe: string;
  private readonly schema: string;
  private readonly defaultMaxAttempts: number;
  private readonly leaseSeconds: number;
  private readonly maxRunSeconds: number;
  private readonly retryDelaySeconds: number;
  private readonly graceMs: number;
  private readonly log: QueueLogger;
  private readonly handlers = new Map<JobName, Registration>();
  private readonly workerIds = new Map<JobName, string[]>();
  private readonly running = new Map<string, AbortController>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private booting: Promise<{ boss: PgBoss; pool: pg.Pool }> | undefined;
  private started = false;

  constructor(private readonly o: PgBossQueueOptions) {
    // pg-boss writes the schema into its SQL unquoted, so only plain identifiers are safe.
    this.schema = (o.schema ?? 'pgboss').toLowerCase();
    if (!SCHEMA_RE.test(this.schema)) throw new Error(`invalid pg-boss schema name: ${o.schema}`);
    this.defaultMaxAttempts = o.defaultMaxAttempts ?? 3;
    this.leaseSeconds = Math.max(1, Math.ceil(o.leaseSeconds ?? 30));
    this.maxRunSeconds = Math.max(this.leaseSeconds, o.maxRunSeconds ?? 6 * 3600);
    this.retryDelaySeconds = o.retryDelaySeconds ?? 1;
    this.graceMs = o.graceMs ?? 10_000;
    this.log = o.logger ?? silentLogger;
    this.describe = `pg-boss (schema ${this.schema})`;
  }

  /** Starts pg-boss without workers on first use, so a process that only enqueues (API) never works jobs. */
  private instance(): Promise<{ boss: PgBoss; pool: pg.Pool }> {
    this.booting ??= this.boot().catch((err) => {
      this.booting = undefined;
      throw err;
    });
    return this.booting;
  }

  private async boot(): Promise<{ boss: PgBoss; pool: pg.Pool }> {
    // One pool for pg-boss and for the few queries it has no API for (dedup, idle check).
    const pool = new pg.Pool({ connectionString: this.o.connectionString, max: 10, application_name: 'ledgerline-jobs' });
    pool.on('error', (err) => this.log.error({ err }, 'job queue database connection error'));
    const boss = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values) },
      schema: this.schema,
      schedule: false,
      maintenanceIntervalSeconds: this.o.maintenanceIntervalSeconds ?? Math.max(1, Math.ceil(this.leaseSeconds / 3)),
    });
    boss.on('error', (err) => this.log.error({ err }, 'pg-boss error'));
    try {
      await boss.start();
      await this.createQueues(boss, pool);
    } catch (err) {
      await boss.stop({ graceful: false, close: false }).catch(() => {});
      await pool.end().catch(() => {});
      throw err;
    }
    return { boss, pool };
  }

  /**
   * Creates the queues this version knows. pg-boss's createQueue adds a partition per queue, and two
   * processes creating the same queues at once deadlock in PostgreSQL, so processes take turns
   * under a session advisory lock and skip the queues that already exist.
   */
  private async createQueues(boss: PgBoss, pool: pg.Pool): Promise<void> {
    const client = await pool.connect();
    const lock = `${this.schema}:create-queues`;
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lock]);
      const existing = new Set((await boss.getQueues()).map((q) => q.name));
      for (const name of JOB_NAMES) {
        if (existing.has(name)) continue;
        // Queue-level defaults only matter for jobs sent by other tools; enqueue() sets every option per job.
        await boss.createQueue(name, { name, policy: 'standard', ...this.retryOptions(this.defaultMaxAttempts) });
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lock]).catch(() => {});
      client.release();
    }
  }

  private retryOptions(maxAttempts: number) {
    return { retryLimit: maxAttempts - 1, retryDelay: this.retryDelaySeconds, retryBackoff: true, expireInSeconds: this.maxRunSeconds };
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts: JobOptions = {}): Promise<string | null> {
    const maxAttempts = opts.maxAttempts ?? this.defaultMaxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be a positive integer, got ${maxAttempts}`);
    const delaySeconds = Math.max(0, opts.delaySeconds ?? 0);
    const { boss, pool } = await this.instance();
    const options: PgBoss.SendOptions = {
      ...this.retryOptions(maxAttempts),
      ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
      ...(opts.singletonKey !== undefined ? { singletonKey: opts.singletonKey } : {}),
    };
    const data = (payload ?? {}) as object;
    const id = opts.singletonKey === undefined ? await boss.send(name, data, options) : await this.sendOnce(boss, pool, name, data, options, opts.singletonKey);
    // Local workers would otherwise find a due job only at their next poll.
    if (id && delaySeconds === 0) for (const w of this.workerIds.get(name) ?? []) boss.notifyWorker(w);
    return id;
  }

  /**
   * pg-boss v10's singleton policies apply to a whole queue (jobs without a key share the key '')
   * and none covers "queued or running", so the check is ours: under a transaction-scoped advisory
   * lock on (name, key), insert only when no created/retry/active job holds the key.
   */
  private async sendOnce(boss: PgBoss, pool: pg.Pool, name: JobName, data: object, options: PgBoss.SendOptions, key: string): Promise<string | null> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${this.schema}:${name}:${key}`]);
      const dup = await client.query(
        `SELECT 1 FROM ${this.schema}.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry', 'active') LIMIT 1`,
        [name, key],
      );
      if (dup.rowCount) {
        await client.query('ROLLBACK');
        return null;
      }
      const id = await boss.send(name, data, { ...options, db: { executeSql: (text, values) => client.query(text, values) } });
      await client.query('COMMIT');
      return id;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  register<N extends JobName>(name: N, handler: JobHandler<N>, opts: { concurrency?: number } = {}): void {
    const concurrency = opts.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency of ${name} must be a positive integer`);
    const known = this.handlers.has(name);
    // Workers look the handler up per job, so re-registering swaps it in place.
    this.handlers.set(name, { handler: handler as unknown as JobHandler<JobName>, concurrency });
    if (this.started && !known) void this.instance().then(({ boss }) => this.startWorkers(boss, name), (err) => this.log.error({ err }, 'could not start workers'));
  }

  async start(): Promise<void> {
    const missing = JOB_NAMES.filter((n) => !this.handlers.has(n));
    if (missing.length) throw new Error(`cannot start the job queue: no handler registered for ${missing.join(', ')}`);
    if (this.started) return;
    const { boss, pool } = await this.instance();
    this.started = true;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(pool).then(() => this.reclaimUnbeaten(pool)), Math.max(250, Math.floor((this.leaseSeconds * 1000) / 3)));
    this.heartbeatTimer.unref();
    for (const name of this.handlers.keys()) await this.startWorkers(boss, name);
  }

  /** pg-boss v10 runs one job at a time per `work` call, so concurrency is that many workers. */
  private async startWorkers(boss: PgBoss, name: JobName): Promise<void> {
    const ids: string[] = [];
    const pollingIntervalSeconds = this.o.pollingIntervalSeconds ?? 2;
    for (let i = 0; i < (this.handlers.get(name)?.concurrency ?? 1); i++) {
      ids.push(await boss.work<JobPayloads[JobName]>(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds }, ([job]) => this.runJob(name, job)));
    }
    this.workerIds.set(name, ids);
  }

  /**
   * Extends the lease of every job this process is running: `started_on` moves so that pg-boss's
   * deadline (`started_on + expire_in`) is one lease from now. A job no longer active (failed over
   * after a stall, or stopped) is aborted here, since another worker may be running it.
   */
  private async heartbeat(pool: pg.Pool, ids: string[] = [...this.running.keys()]): Promise<void> {
    if (!ids.length) return;
    try {
      const { rows } = await pool.query<{ id: string }>(
        `UPDATE ${this.schema}.job SET started_on = now() - expire_in + $2 * interval '1 second'
          WHERE id = ANY($1::uuid[]) AND state = 'active' RETURNING id`,
        [ids, this.leaseSeconds],
      );
      const kept = new Set(rows.map((r) => r.id));
      for (const id of ids) if (!kept.has(id)) this.running.get(id)?.abort(new Error('the job lease ran out'));
    } catch (err) {
      // Missing one beat is harmless while the next lands within the lease.
      this.log.warn({ err: errorMessage(err) }, 'job heartbeat failed');
    }
  }

  /**
   * A job fetched by a worker that died before its first beat still has the whole run time as its
   * deadline (`started_on` is the fetch, `expire_in` is `maxRunSeconds`). A job beaten by a live
   * worker is never more than a lease from its deadline, so one fetched over a lease ago and still
   * further than two leases from it lost its worker: it is made due, and maintenance fails it over.
   */
  private async reclaimUnbeaten(pool: pg.Pool): Promise<void> {
    try {
      await pool.query(
        `UPDATE ${this.schema}.job SET started_on = now() - expire_in
          WHERE state = 'active' AND started_on < now() - $1 * interval '1 second'
            AND started_on + expire_in > now() + 2 * $1 * interval '1 second'`,
        [this.leaseSeconds],
      );
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'could not reclaim unbeaten jobs');
    }
  }

  private async runJob(name: JobName, job: BossJob): Promise<void> {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    const ctx = { id: job.id, attempt: job.retryCount + 1, maxAttempts: job.retryLimit + 1, signal: controller.signal };
    try {
      // Until this first beat the deadline is the whole run time; from here on it is this worker's lease.
      await this.heartbeat((await this.instance()).pool, [job.id]);
      const reg = this.handlers.get(name);
      if (!reg) throw new Error(`no handler registered for ${name}`);
      await reg.handler(job.data, ctx);
    } catch (err) {
      const fields = { jobId: job.id, job: name, attempt: ctx.attempt, maxAttempts: ctx.maxAttempts, error: errorMessage(err) };
      if (ctx.attempt >= ctx.maxAttempts) this.log.error(fields, 'job failed; no attempts left');
      else this.log.warn(fields, 'job failed; will retry');
      throw err;
    } finally {
      this.running.delete(job.id);
    }
  }

  async stop(): Promise<void> {
    const booting = this.booting;
    if (!booting) return;
    this.booting = undefined;
    this.started = false;
    this.workerIds.clear();
    const instance = await booting.catch(() => undefined);
    if (!instance) return;
    const abortTimer = setTimeout(() => {
      for (const c of this.running.values()) c.abort(new Error('the job queue is stopping'));
    }, this.graceMs);
    try {
      // pg-boss waits for running jobs up to `timeout`, then fails the remainder so they are retried.
      await instance.boss.stop({ graceful: true, wait: true, close: false, timeout: this.graceMs + 2000 });
    } finally {
      clearTimeout(abortTimer);
      // Running jobs keep their lease through the grace period.
      clearInterval(this.heartbeatTimer);
    }
    // pg-boss completes jobs without awaiting the UPDATE; let those land before the pool goes.
    const deadline = Date.now() + 2000;
    const { pool } = instance;
    while ((pool.waitingCount > 0 || pool.idleCount < pool.totalCount) && Date.now() < deadline) await sleep(20);
    await pool.end();
  }

  async check(): Promise<void> {
    const { pool } = await this.instance();
    await pool.query(`SELECT 1 FROM ${this.schema}.queue LIMIT 1`);
  }

  async onIdle(opts: IdleOptions = {}): Promise<void> {
    const { timeoutMs = 60_000, withinMs = 0 } = opts;
    const { pool } = await this.instance();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await pool.query<{ n: string | number }>(
        `SELECT count(*) AS n FROM ${this.schema}.job
          WHERE state = 'active' OR (state IN ('created', 'retry') AND start_after <= now() + $1 * interval '1 millisecond')`,
        [withinMs],
      );
      const pending = Number(rows[0]?.n ?? 0);
      if (pending === 0 && this.running.size === 0) return;
      if (Date.now() >= deadline) throw new Error(`job queue not idle after ${timeoutMs} ms (${pending} job(s) queued or running)`);
      await sleep(100);
    }
  }
}
