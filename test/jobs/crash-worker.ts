/**
 * A worker that dies the hard way: it claims one job and SIGKILLs itself inside the handler, so no
 * cleanup, `finally` or shutdown hook runs — what the OOM killer or `kill -9` does to a real worker.
 * Usage: node --import tsx crash-worker.ts '<json config>'
 */
import { openDatabase } from '../../src/db/database.js';
import type { Config } from '../../src/config.js';
import { JOB_NAMES } from '../../src/jobs/job-names.js';
import { createPgBossQueue } from '../../src/jobs/pgboss-queue.js';
import type { Queue } from '../../src/jobs/queue.js';
import { createSqliteQueue } from '../../src/jobs/sqlite-queue.js';

export type CrashWorkerConfig =
  | { queue: 'table'; database: Config['database']; workerId: string; leaseMs: number }
  | { queue: 'pg-boss'; connectionString: string; schema: string; leaseSeconds: number };

const cfg = JSON.parse(process.argv[2] ?? '{}') as CrashWorkerConfig;

const queue: Queue =
  cfg.queue === 'table'
    ? createSqliteQueue({ db: openDatabase(cfg.database).db, workerId: cfg.workerId, leaseMs: cfg.leaseMs, pollIntervalMs: 20 })
    : createPgBossQueue({ connectionString: cfg.connectionString, schema: cfg.schema, leaseSeconds: cfg.leaseSeconds, pollingIntervalSeconds: 0.5 });

for (const name of JOB_NAMES) {
  queue.register(name, async () => {
    process.kill(process.pid, 'SIGKILL');
  });
}
await queue.start();
