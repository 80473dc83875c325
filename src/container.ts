import type { Config } from './config.js';
import { ensureSchema, openDatabase, pingDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createApiKeyRepository } from './repositories/api-key.repository.js';
import { createAuditRepository } from './repositories/audit.repository.js';
import { createTenantRepository } from './repositories/tenant.repository.js';
import { createAuthService } from './services/auth.service.js';
import { createIdentityService } from './services/identity.service.js';

/**
 * The only place that wires config, database, storage, queue, repositories and services.
 * Everything is built by hand from factories; nothing reaches for globals.
 */
export async function createContainer(config: Config) {
  await ensureSchema(config.database);
  const database: DatabaseHandle = openDatabase(config.database);
  const { db } = database;
  await migrateToLatest(db);

  const repos = {
    tenants: createTenantRepository(db),
    apiKeys: createApiKeyRepository(db),
    audit: createAuditRepository(db),
  };
  const services = {
    identity: createIdentityService({ config, tenants: repos.tenants, apiKeys: repos.apiKeys }),
    auth: createAuthService({ config, tenants: repos.tenants, apiKeys: repos.apiKeys }),
  };
  const readiness: Record<string, () => Promise<unknown>> = {
    database: () => pingDatabase(db),
  };
  const closers: Array<() => Promise<void>> = [];

  return {
    config,
    database,
    db,
    repos,
    services,
    readiness,
    storageDescription: undefined as string | undefined,
    queueDescription: undefined as string | undefined,
    startWorkers: undefined as undefined | (() => Promise<void>),
    /** Stops workers first, then closes the database. */
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      await database.close();
    },
  };
}
export type Container = Awaited<ReturnType<typeof createContainer>>;
