import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import type { Role } from '../../src/domain/access.js';
import type { HostResolver } from '../../src/net/outbound-guard.js';

export type Dialect = 'sqlite' | 'postgres';

export const postgresUrl = (): string | undefined => {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  return url && /^postgres(ql)?:/.test(url) ? url : undefined;
};

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL or DATABASE_URL points at one. */
export const dialects = (): Dialect[] => (postgresUrl() ? ['sqlite', 'postgres'] : ['sqlite']);

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  config: Config;
  dataDir: string;
  /** The PostgreSQL schema, when on PostgreSQL. */
  schema?: string;
  /** A JWT for a user of a tenant (both created when missing). */
  token(opts?: { tenant?: string; user?: string; role?: Role; entitlements?: string[]; plan?: string; ttlSeconds?: number }): Promise<string>;
  /** Closes the app; with `keepData` its database and files stay for another app (`reopen`). */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  dialect?: Dialect;
  env?: Record<string, string>;
  /** Stands in for DNS when the app resolves outbound destinations. */
  resolveHost?: HostResolver;
  /** Opens the database and files a closed app kept (`close({ keepData: true })`), as a restart would. */
  reopen?: Pick<TestApp, 'dataDir' | 'schema'>;
}

/** A fresh application on a fresh database: a temp SQLite file, or a new PostgreSQL schema dropped afterwards. */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dialect = opts.dialect ?? 'sqlite';
  const dataDir = opts.reopen?.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'll-test-'));
  const schema = dialect === 'postgres' ? (opts.reopen?.schema ?? `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`) : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://ledgerline.test',
    PATH: process.env.PATH ?? '',
    // Tests deliver webhooks to receivers on 127.0.0.1; the destination tests turn this off.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...(dialect === 'postgres' ? { DATABASE_URL: postgresUrl()!, DATABASE_SCHEMA: schema } : {}),
    ...opts.env,
  });
  const container = await createContainer(config, { resolveHost: opts.resolveHost });
  const app = await buildApp(container, { logger: process.env.TEST_LOG_LEVEL ? { level: process.env.TEST_LOG_LEVEL } : false });
  await app.ready();

  return {
    app,
    container,
    config,
    dataDir,
    schema,
    async token(o = {}) {
      const { identity } = container.services;
      const tenant = (await container.repos.tenants.findByName(o.tenant ?? 'acme')) ?? (await identity.createTenant({ name: o.tenant ?? 'acme', plan: o.plan ?? 'pro' }));
      const role = o.role ?? 'admin';
      let user = await identity.findOrCreateUser(tenant.id, { name: o.user ?? 'alice', role });
      // Tests put the same user in several roles; the operator's hand, not an API, changes it.
      if (user.role !== role) {
        await container.repos.tenants.updateUser(user.id, { role });
        user = { ...user, role };
      }
      if (o.entitlements?.length) await identity.grantEntitlements({ tenantId: tenant.id, userId: user.id }, o.entitlements);
      return identity.issueToken(user, { ttlSeconds: o.ttlSeconds });
    },
    async close(o = {}) {
      await app.close();
      await container.close();
      if (o.keepData) return;
      if (schema) {
        const client = new pg.Client({ connectionString: postgresUrl() });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.query(`DROP SCHEMA IF EXISTS "${schema}_boss" CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
