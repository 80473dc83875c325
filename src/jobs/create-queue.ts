import type { Db, DbKind } from '../db/database.js';
import { createPgBossQueue } from './pgboss-queue.js';
import type { Queue } from './queue.js';
import { createSqliteQueue } from './sqlite-queue.js';

/** The part of a pino/Fastify logger the queues use: (fields, message). */
export interface QueueLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface IdleOptions {
  timeoutMs?: number;
  /** Also wait for queued jobs due within this many milliseconds (retries in backoff); 0 by default. */
  withinMs?: number;
}

/** Both implementations also accept `withinMs` in onIdle, which the Queue interface's comment describes. */
export interface IdleQueue extends Queue {
  onIdle(opts?: IdleOptions): Promise<void>;
}

export interface CreateQueueOptions {
  kind: DbKind;
  db: Db;
  /** Required for PostgreSQL: pg-boss keeps its own pool. */
  connectionString?: string;
  /** The application's PostgreSQL schema, when it runs in one. */
  schema?: string;
  logger?: QueueLogger;
  /** Lease renewed by a heartbeat (both queues), so a dead worker's job is retried after about this long. */
  leaseMs?: number;
}

/**
 * Embedded deployments (SQLite) work jobs from the `jobs` table in-process; PostgreSQL
 * deployments may run several API and worker processes, which pg-boss coordinates.
 */
export function createQueue(opts: CreateQueueOptions): IdleQueue {
  if (opts.kind === 'sqlite') return createSqliteQueue({ db: opts.db, logger: opts.logger, leaseMs: opts.leaseMs });
  if (!opts.connectionString) throw new Error('a PostgreSQL job queue needs the database connection string');
  return createPgBossQueue({
    connectionString: opts.connectionString,
    schema: pgBossSchemaFor(opts.schema),
    logger: opts.logger,
    ...(opts.leaseMs ? { leaseSeconds: Math.max(1, Math.ceil(opts.leaseMs / 1000)) } : {}),
  });
}

/** pg-boss's tables live beside the application's schema, so separate schemas (test runs) never share jobs. */
export const pgBossSchemaFor = (appSchema?: string): string => (appSchema ? `${appSchema}_boss` : 'pgboss');
