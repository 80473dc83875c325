import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemas, postgresUrl, registerAll, runCrashWorker, sleep, uniqueSchema, waitFor } from '../../test/jobs/support.js';
import { createQueue, pgBossSchemaFor, type IdleQueue } from './create-queue.js';
import { createPgBossQueue, type PgBossQueueOptions } from './pgboss-queue.js';

const url = postgresUrl();
const asset = { tenantId: 't1', trackId: 'tr1', assetId: 'a1' };

describe.skipIf(!url)('pg-boss queue', () => {
  const schema = uniqueSchema('jobs_boss');
  const queues: IdleQueue[] = [];
  let client: pg.Client;
  const make = (o: Partial<PgBossQueueOptions> = {}) => {
    const q = createPgBossQueue({ connectionString: url!, schema, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, graceMs: 2000, ...o });
    queues.push(q);
    return q;
  };
  const job = async (id: string) => {
    const { rows } = await client.query(`SELECT state, retry_count, retry_limit, singleton_key, output FROM ${schema}.job WHERE id = $1`, [id]);
    return rows[0] as { state: string; retry_count: number; retry_limit: number; output: { message?: string } | null } | undefined;
  };

  beforeAll(async () => {
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop();
    await client.query(`DELETE FROM ${schema}.job`).catch(() => {});
  });
  afterAll(async () => {
    await client.end();
    await dropSchemas(schema);
  });

  it('runs the handler with the typed payload', async () => {
    const q = make();
    const seen: Array<{ payload: unknown; attempt: number; maxAttempts: number; id: string }> = [];
    registerAll(q, { 'lane.probe': async (payload, ctx) => void seen.push({ payload, attempt: ctx.attempt, maxAttempts: ctx.maxAttempts, id: ctx.id }) });
    await q.start();
    const id = (await q.enqueue('lane.probe', asset))!;
    await q.onIdle({ timeoutMs: 10_000 });
    expect(seen).toEqual([{ payload: asset, attempt: 1, maxAttempts: 3, id }]);
    expect((await job(id))?.state).toBe('completed');
  });

  it('retries a failing handler, then marks it failed with the error', async () => {
    const q = make();
    const attempts: number[] = [];
    registerAll(q, {
      'webhook.deliver': async (_p, ctx) => {
        attempts.push(ctx.attempt);
        throw new Error(`endpoint returned 503 (attempt ${ctx.attempt})`);
      },
    });
    await q.start();
    const id = (await q.enqueue('webhook.deliver', { tenantId: 't1', deliveryId: 'd1' }, { maxAttempts: 2 }))!;
    const failed = await waitFor(async () => ((await job(id))?.state === 'failed' ? job(id) : undefined), 15_000, 'failed state');
    expect(attempts).toEqual([1, 2]);
    expect(failed).toMatchObject({ retry_count: 1, retry_limit: 1 });
    expect(failed!.output?.message).toBe('endpoint returned 503 (attempt 2)');
  });

  it('enqueues without start() and deduplicates by singleton key while queued or running', async () => {
    const api = make();
    const first = await api.enqueue('lane.probe', asset, { singletonKey: 'a1' });
    expect(first).toBeTypeOf('string');
    expect(await api.enqueue('lane.probe', asset, { singletonKey: 'a1' })).toBeNull();
    expect(await api.enqueue('lane.probe', asset, { singletonKey: 'a2' })).toBeTypeOf('string');
    expect(await api.enqueue('lane.analyze', asset, { singletonKey: 'a1' })).toBeTypeOf('string');
    // Jobs without a key are never deduplicated.
    expect(await api.enqueue('lane.probe', asset)).toBeTypeOf('string');
    expect(await api.enqueue('lane.probe', asset)).toBeTypeOf('string');

    const worker = make();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    registerAll(worker, { 'lane.probe': () => gate }, { 'lane.probe': 4 });
    await worker.start();
    await waitFor(async () => (await job(first!))?.state === 'active', 10_000, 'active');
    expect(await api.enqueue('lane.probe', asset, { singletonKey: 'a1' })).toBeNull();
    release();
    await worker.onIdle({ timeoutMs: 10_000 });
    expect(await api.enqueue('lane.probe', asset, { singletonKey: 'a1' })).toBeTypeOf('string');
  });

  it('lets only one of many simultaneous senders through per singleton key', async () => {
    const q = make();
    const ids = await Promise.all(Array.from({ length: 8 }, () => q.enqueue('variant.render', { tenantId: 't1', trackId: 'tr1', variantId: 'v1' }, { singletonKey: 'v1' })));
    expect(ids.filter(Boolean)).toHaveLength(1);
  });

  it('never runs more handlers of a name at once than its concurrency', async () => {
    const q = make();
    let now = 0;
    let peak = 0;
    registerAll(q, { 'lane.stems': async () => void (now++, (peak = Math.max(peak, now)), await sleep(300), now--) }, { 'lane.stems': 2 });
    for (let i = 0; i < 6; i++) await q.enqueue('lane.stems', { ...asset, assetId: `s${i}` });
    await q.start();
    await q.onIdle({ timeoutMs: 15_000 });
    expect(peak).toBe(2);
  });

  it('retries the job of a worker process killed with SIGKILL in another worker, once the dead worker\'s lease lapses', async () => {
    // Sent with a long lease: the worker that takes the job replaces it with its own at once.
    const id = (await make({ leaseSeconds: 900 }).enqueue('lane.stems', asset, { maxAttempts: 3 }))!;
    const signal = await runCrashWorker({ queue: 'pg-boss', connectionString: url!, schema, leaseSeconds: 2 });
    const killedAt = Date.now();
    expect(signal).toBe('SIGKILL');
    expect((await job(id))?.state).toBe('active');

    const q = make({ leaseSeconds: 2 });
    const seen: number[] = [];
    registerAll(q, { 'lane.stems': async (_p, ctx) => void seen.push(ctx.attempt) });
    await q.start();
    await waitFor(async () => (await job(id))?.state === 'completed', 20_000, 'completion');
    expect(seen).toEqual([2]);
    // Two seconds of lease, a maintenance pass (1 s here) and a poll: far from pg-boss's own 15 minutes.
    expect(Date.now() - killedAt).toBeLessThan(8_000);
  });

  it('retries a job whose worker died after fetching it but before its first heartbeat', async () => {
    const id = (await make({ leaseSeconds: 1 }).enqueue('lane.stems', asset, { maxAttempts: 3 }))!;
    // pg-boss's own fetch marks it active with the whole run time as its deadline; no beat follows.
    const fetcher = new PgBoss({ connectionString: url!, schema, schedule: false, supervise: false });
    await fetcher.start();
    expect((await fetcher.fetch('lane.stems')).map((j) => j.id)).toEqual([id]);
    await fetcher.stop({ graceful: false, wait: true });
    expect((await job(id))?.state).toBe('active');

    const q = make({ leaseSeconds: 1 });
    const seen: number[] = [];
    registerAll(q, { 'lane.stems': async (_p, ctx) => void seen.push(ctx.attempt) });
    await q.start();
    await waitFor(async () => (await job(id))?.state === 'completed', 30_000, 'completion');
    expect(seen).toEqual([2]);
  });

  it('keeps a run that outlasts its lease: the heartbeat extends it and no other worker starts it', async () => {
    const q = make({ leaseSeconds: 1 });
    const other = make({ leaseSeconds: 1 });
    const attempts: number[] = [];
    const slow = async (_p: unknown, ctx: { attempt: number }) => void (attempts.push(ctx.attempt), await sleep(3500));
    registerAll(q, { 'lane.analyze': slow });
    registerAll(other, { 'lane.analyze': slow });
    await q.start();
    await other.start();
    const id = (await q.enqueue('lane.analyze', asset))!;
    await waitFor(async () => (await job(id))?.state === 'completed', 15_000, 'completion');
    expect(attempts).toEqual([1]);
    expect(await job(id)).toMatchObject({ state: 'completed', retry_count: 0 });
  });

  it('stop() waits for a running handler to finish', async () => {
    const q = make();
    let finished = false;
    registerAll(q, { 'lane.analyze': async () => void (await sleep(700), (finished = true)) });
    await q.start();
    const id = (await q.enqueue('lane.analyze', asset))!;
    await waitFor(async () => (await job(id))?.state === 'active', 10_000, 'active');
    await q.stop();
    expect(finished).toBe(true);
    expect((await job(id))?.state).toBe('completed');
  });

  it('stop() aborts a handler that outlives the grace period, and pg-boss schedules a retry', async () => {
    const q = make({ graceMs: 300 });
    let aborted = false;
    registerAll(q, {
      'lane.analyze': (_p, ctx) =>
        new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(ctx.signal.reason);
          }),
        ),
    });
    await q.start();
    const id = (await q.enqueue('lane.analyze', asset))!;
    await waitFor(async () => (await job(id))?.state === 'active', 10_000, 'active');
    await q.stop();
    expect(aborted).toBe(true);
    expect(await job(id)).toMatchObject({ state: 'retry', output: { message: 'the job queue is stopping' } });
  });

  it('wakes its workers at once for a job enqueued locally', async () => {
    const q = make({ pollingIntervalSeconds: 30 });
    let ranAt = 0;
    registerAll(q, { 'uploads.sweep': async () => void (ranAt = Date.now()) });
    await q.start();
    await sleep(300);
    const sent = Date.now();
    await q.enqueue('uploads.sweep', {});
    await waitFor(async () => ranAt, 5000, 'handler');
    expect(ranAt - sent).toBeLessThan(2000);
  });

  it('start() refuses while a job name has no handler', async () => {
    const q = make();
    q.register('lane.probe', async () => {});
    await expect(q.start()).rejects.toThrow(/no handler registered for lane\.analyze, .*uploads\.sweep/);
  });

  it('createQueue() picks pg-boss for PostgreSQL, in a schema beside the application one', async () => {
    const app = uniqueSchema('jobs_app');
    const q = createQueue({ kind: 'postgres', db: undefined as never, connectionString: url!, schema: app });
    queues.push(q);
    expect(q.kind).toBe('pg-boss');
    expect(q.describe).toContain(pgBossSchemaFor(app));
    await q.check();
    await q.stop();
    await dropSchemas(pgBossSchemaFor(app));
  });
});
