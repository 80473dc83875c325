import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Config } from '../../src/config.js';
import { ensureSchema, openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { JOB_NAMES, type JobName } from '../../src/jobs/job-names.js';
import type { JobHandler, Queue } from '../../src/jobs/queue.js';
import type { CrashWorkerConfig } from './crash-worker.js';

export type Dialect = 'sqlite' | 'postgres';

export const postgresUrl = (): string | undefined => {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  return url && /^postgres(ql)?:/.test(url) ? url : undefined;
};

export const dialects = (): Dialect[] => (postgresUrl() ? ['sqlite', 'postgres'] : ['sqlite']);

export const uniqueSchema = (prefix: string): string => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

export async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}

export interface TestDb {
  handle: DatabaseHandle;
  config: Config['database'];
  cleanup(): Promise<void>;
}

/** A migrated database of its own: a temp SQLite file, or a fresh PostgreSQL schema dropped afterwards. */
export async function openTestDb(dialect: Dialect): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'll-jobs-'));
    const config: Config['database'] = { kind: 'sqlite', file: path.join(dir, 'jobs.sqlite') };
    const handle = openDatabase(config);
    await migrateToLatest(handle.db);
    return { handle, config, cleanup: async () => { await handle.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const config: Config['database'] = { kind: 'postgres', url: postgresUrl()!, schema: uniqueSchema('jobs') };
  await ensureSchema(config);
  const handle = openDatabase(config);
  await migrateToLatest(handle.db);
  return { handle, config, cleanup: async () => { await handle.close(); await dropSchemas(config.schema!); } };
}

const noop = async () => {};

/** Registers `handlers` and a no-op for every other job name, since start() insists on all of them. */
export function registerAll(queue: Queue, handlers: Partial<{ [N in JobName]: JobHandler<N> }> = {}, concurrency: Partial<Record<JobName, number>> = {}): void {
  for (const name of JOB_NAMES) {
    queue.register(name, (handlers[name] ?? noop) as JobHandler<typeof name>, { concurrency: concurrency[name] ?? 1 });
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const crashWorkerPath = fileURLToPath(new URL('./crash-worker.ts', import.meta.url));

/** Runs the crash worker in a real child process and resolves with the signal that ended it. */
export function runCrashWorker(cfg: CrashWorkerConfig, timeoutMs = 20_000): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = fork(crashWorkerPath, [JSON.stringify(cfg)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('crash worker never claimed a job'));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    });
  });
}
