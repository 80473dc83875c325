import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestDb, registerAll, runCrashWorker, sleep, waitFor, type TestDb } from '../../test/jobs/support.js';
import { uuidv7 } from '../domain/ids.js';
import { createQueue, type IdleQueue } from './create-queue.js';
import { createSqliteQueue, type SqliteQueueOptions } from './sqlite-queue.js';

const asset = { tenantId: 't1', trackId: 'tr1', assetId: 'a1' };

// The table queue is the embedded queue; on PostgreSQL it runs as a fallback through the same Kysely code.
describe.each(dialects())('jobs-table queue on %s', (dialect) => {
  let t: TestDb;
  const queues: IdleQueue[] = [];
  const make = (o: Partial<SqliteQueueOptions> = {}) => {
    const q = createSqliteQueue({ db: t.handle.db, pollIntervalMs: 20, leaseMs: 2000, backoff: { baseMs: 50, capMs: 400 }, graceMs: 2000, ...o });
    queues.push(q);
    return q;
  };
  const row = (id: string) => t.handle.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  // One migrated database per dialect; each test starts from an empty jobs table.
  beforeAll(async () => {
    t = await openTestDb(dialect);
  });
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop();
    await t.handle.db.deleteFrom('jobs').execute();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('runs the handler with the typed payload and marks the job completed', async () => {
    const q = make();
    const seen: Array<{ payload: unknown; attempt: number; maxAttempts: number; id: string }> = [];
    registerAll(q, { 'lane.probe': async (payload, ctx) => void seen.push({ payload, attempt: ctx.attempt, maxAttempts: ctx.maxAttempts, id: ctx.id }) });
    const id = await q.enqueue('lane.probe', asset);
    await q.start();
    await q.onIdle({ timeoutMs: 5000 });
    expect(seen).toEqual([{ payload: asset, attempt: 1, maxAttempts: 3, id }]);
    expect(await row(id!)).toMatchObject({ status: 'completed', attempts: 1, lockedBy: null, lockedUntil: null });
  });

  it('retries a failing handler with growing delays, then marks it failed with the last error', async () => {
    const q = make();
    const runs: number[] = [];
    registerAll(q, {
      'webhook.deliver': async (_p, ctx) => {
        runs.push(Date.now());
        throw new Error(`endpoint returned 503 (attempt ${ctx.attempt})`);
      },
    });
    await q.start();
    const id = (await q.enqueue('webhook.deliver', { tenantId: 't1', deliveryId: 'd1' }, { maxAttempts: 3 }))!;
    const done = await waitFor(async () => ((await row(id)).status === 'failed' ? row(id) : undefined), 10_000, 'failed status');
    expect(done).toMatchObject({ attempts: 3, lastError: 'endpoint returned 503 (attempt 3)', lockedBy: null });
    expect(runs).toHaveLength(3);
    // Equal jitter: the n-th retry waits at least half of base * 2^(n-1).
    expect(runs[1] - runs[0]).toBeGreaterThanOrEqual(25);
    expect(runs[2] - runs[1]).toBeGreaterThanOrEqual(50);
    await sleep(200);
    expect(runs).toHaveLength(3);
  });

  it('completes a job that succeeds on a retry', async () => {
    const q = make();
    let calls = 0;
    registerAll(q, { 'lane.lyrics': async () => void (++calls === 1 && (() => { throw new Error('transient'); })()) });
    await q.start();
    const id = (await q.enqueue('lane.lyrics', asset))!;
    await q.onIdle({ timeoutMs: 5000, withinMs: 1000 });
    expect(await row(id)).toMatchObject({ status: 'completed', attempts: 2, lastError: 'transient' });
  });

  it('deduplicates by singleton key while a job is queued or running, and frees the key afterwards', async () => {
    const q = make();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    registerAll(q, { 'lane.probe': () => gate });
    const first = await q.enqueue('lane.probe', asset, { singletonKey: 'a1' });
    expect(first).toBeTypeOf('string');
    expect(await q.enqueue('lane.probe', asset, { singletonKey: 'a1' })).toBeNull();
    expect(await q.enqueue('lane.probe', { ...asset, assetId: 'a2' }, { singletonKey: 'a2' })).toBeTypeOf('string');
    expect(await q.enqueue('lane.analyze', asset, { singletonKey: 'a1' })).toBeTypeOf('string');
    await q.start();
    await waitFor(async () => (await row(first!)).status === 'active', 5000, 'active');
    expect(await q.enqueue('lane.probe', asset, { singletonKey: 'a1' })).toBeNull();
    release();
    await q.onIdle({ timeoutMs: 5000 });
    expect(await q.enqueue('lane.probe', asset, { singletonKey: 'a1' })).toBeTypeOf('string');
  });

  it('never runs more handlers of a name at once than its concurrency', async () => {
    const q = make();
    const now = { stems: 0, playback: 0 };
    const peak = { stems: 0, playback: 0 };
    const track = (k: keyof typeof now) => async () => {
      now[k]++;
      peak[k] = Math.max(peak[k], now[k]);
      await sleep(60);
      now[k]--;
    };
    registerAll(q, { 'lane.stems': track('stems'), 'lane.playback': track('playback') }, { 'lane.stems': 3 });
    for (let i = 0; i < 8; i++) {
      await q.enqueue('lane.stems', { ...asset, assetId: `s${i}` });
      await q.enqueue('lane.playback', { ...asset, assetId: `p${i}` });
    }
    await q.start();
    await q.onIdle({ timeoutMs: 10_000 });
    expect(peak).toEqual({ stems: 3, playback: 1 });
  });

  it('wakes at once for a job enqueued locally instead of waiting for the next poll', async () => {
    const q = make({ pollIntervalMs: 60_000 });
    let ranAt = 0;
    registerAll(q, { 'uploads.sweep': async () => void (ranAt = Date.now()) });
    await q.start();
    await sleep(50);
    const sent = Date.now();
    await q.enqueue('uploads.sweep', {});
    await waitFor(async () => ranAt, 2000, 'handler');
    expect(ranAt - sent).toBeLessThan(1000);
  });

  it('does not run a delayed job before it is due', async () => {
    const q = make();
    let ranAt = 0;
    registerAll(q, { 'uploads.sweep': async () => void (ranAt = Date.now()) });
    await q.start();
    const sent = Date.now();
    await q.enqueue('uploads.sweep', {}, { delaySeconds: 0.3 });
    await q.onIdle({ timeoutMs: 5000, withinMs: 1000 });
    expect(ranAt - sent).toBeGreaterThanOrEqual(290);
  });

  it('reclaims a job whose worker stopped renewing its lease, counting the lost attempt', async () => {
    const stale = new Date(Date.now() - 60_000).toISOString();
    const insert = (id: string, attempts: number) =>
      t.handle.db
        .insertInto('jobs')
        .values({ id, name: 'lane.analyze', payload: JSON.stringify(asset), status: 'active', attempts, maxAttempts: 3, runAt: stale, lockedUntil: stale, lockedBy: 'ghost', singletonKey: null, createdAt: stale, updatedAt: stale })
        .execute();
    const retried = uuidv7();
    const exhausted = uuidv7();
    await insert(retried, 1);
    await insert(exhausted, 3);
    const q = make();
    const attempts: number[] = [];
    registerAll(q, { 'lane.analyze': async (_p, ctx) => void attempts.push(ctx.attempt) });
    await q.start();
    await q.onIdle({ timeoutMs: 5000, withinMs: 1000 });
    expect(attempts).toEqual([2]);
    expect(await row(retried)).toMatchObject({ status: 'completed', attempts: 2, lastError: 'lease expired: worker ghost stopped responding' });
    expect(await row(exhausted)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'lease expired: worker ghost stopped responding' });
  });

  it('retries the job of a worker process killed with SIGKILL in another worker', async () => {
    const id = (await make().enqueue('lane.stems', asset))!;
    const signal = await runCrashWorker({ queue: 'table', database: t.config, workerId: 'doomed-worker', leaseMs: 300 });
    expect(signal).toBe('SIGKILL');
    expect(await row(id)).toMatchObject({ status: 'active', attempts: 1, lockedBy: 'doomed-worker' });

    const q = make();
    const seen: number[] = [];
    registerAll(q, { 'lane.stems': async (_p, ctx) => void seen.push(ctx.attempt) });
    await q.start();
    await waitFor(async () => (await row(id)).status === 'completed', 10_000, 'completion');
    expect(seen).toEqual([2]);
    expect(await row(id)).toMatchObject({ attempts: 2, lastError: 'lease expired: worker doomed-worker stopped responding' });
  });

  it('keeps a long run alive by renewing its lease', async () => {
    const q = make({ leaseMs: 150 });
    const other = make({ leaseMs: 150, workerId: 'rival' });
    let runs = 0;
    registerAll(q, { 'lane.stems': async () => void (runs++, await sleep(600)) });
    registerAll(other, { 'lane.stems': async () => void runs++ });
    const id = (await q.enqueue('lane.stems', asset))!;
    await q.start();
    await waitFor(async () => (await row(id)).status === 'active', 5000, 'claim');
    await other.start();
    await q.onIdle({ timeoutMs: 5000 });
    expect(runs).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('stop() waits for a running handler to finish', async () => {
    const q = make();
    let finished = false;
    registerAll(q, { 'lane.analyze': async () => void (await sleep(300), (finished = true)) });
    const id = (await q.enqueue('lane.analyze', asset))!;
    await q.start();
    await waitFor(async () => (await row(id)).status === 'active', 5000, 'claim');
    await q.stop();
    expect(finished).toBe(true);
    expect((await row(id)).status).toBe('completed');
  });

  it('stop() aborts a handler that outlives the grace period, and the job goes back to the queue', async () => {
    const q = make({ graceMs: 100 });
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
    const id = (await q.enqueue('lane.analyze', asset))!;
    await q.start();
    await waitFor(async () => (await row(id)).status === 'active', 5000, 'claim');
    const began = Date.now();
    await q.stop();
    expect(aborted).toBe(true);
    expect(Date.now() - began).toBeLessThan(1500);
    expect(await row(id)).toMatchObject({ status: 'queued', attempts: 1, lastError: 'the job queue is stopping' });
  });

  it('start() refuses while a job name has no handler, naming the missing ones', async () => {
    const q = make();
    q.register('lane.probe', async () => {});
    await expect(q.start()).rejects.toThrow(/lane\.analyze.*uploads\.sweep/);
  });

  it('onIdle() rejects when work is pending past the timeout', async () => {
    const q = make();
    await q.enqueue('uploads.sweep', {});
    await expect(q.onIdle({ timeoutMs: 100 })).rejects.toThrow(/not idle/);
  });

  it('is what createQueue() builds for SQLite', async () => {
    if (dialect !== 'sqlite') return;
    const q = createQueue({ kind: 'sqlite', db: t.handle.db });
    queues.push(q);
    expect(q.kind).toBe('sqlite');
    await q.check();
    registerAll(q);
    const id = (await q.enqueue('uploads.sweep', {}))!;
    await q.start();
    await q.onIdle({ timeoutMs: 5000 });
    expect((await row(id)).status).toBe('completed');
  });

  it('prunes completed jobs older than the retention', async () => {
    const old = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const recent = new Date().toISOString();
    const values = (id: string, status: string, at: string) => ({ id, name: 'uploads.sweep', payload: '{}', status, attempts: 1, maxAttempts: 3, runAt: at, singletonKey: null, createdAt: at, updatedAt: at });
    const [a, b, c] = [uuidv7(), uuidv7(), uuidv7()];
    await t.handle.db.insertInto('jobs').values([values(a, 'completed', old), values(b, 'completed', recent), values(c, 'failed', old)]).execute();
    const q = make();
    registerAll(q);
    await q.start();
    await waitFor(async () => !(await t.handle.db.selectFrom('jobs').select('id').where('id', '=', a).executeTakeFirst()), 5000, 'prune');
    const left = await t.handle.db.selectFrom('jobs').select('id').orderBy('id').execute();
    expect(left.map((r) => r.id).sort()).toEqual([b, c].sort());
  });
});
