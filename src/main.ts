import { loadConfig, ConfigError } from './config.js';
import { createContainer, type Container } from './container.js';
import { buildApp } from './app.js';
import { ensureDefaultTenant } from './bootstrap.js';
import { DatabaseNewerThanBuildError } from './db/migrate.js';
import type { FastifyInstance } from 'fastify';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const container: Container = await createContainer(config);
  const first = await ensureDefaultTenant(container);
  let app: FastifyInstance | null = null;

  if (config.runMode !== 'worker') {
    app = await buildApp(container);
    await app.listen({ port: config.port, host: config.host });
  }
  if (config.runMode !== 'api') await container.startWorkers();

  const lines = [
    '',
    `Ledgerline is running (${config.runMode} mode)`,
    app ? `  API:       ${config.publicUrl}   (collections /v1, workspace /api/swayzio/v1, distribution /)` : '  API:       not served in worker mode',
    app ? `  Docs:      ${config.publicUrl}/docs` : '',
    `  Database:  ${container.database.describe}`,
    `  Blobs:     ${container.storageDescription ?? 'n/a'}`,
    `  Jobs:      ${container.queueDescription ?? 'n/a'}`,
    `  JWT secret: ${config.jwt.secretSource === 'env' ? 'from JWT_SECRET' : `kept in ${config.dataDir}/jwt-secret`}`,
    first.created ? `  Created tenant "${first.tenantName}" with owner "admin".` : '',
    `  Get a token: npx ledgerline token create --tenant ${first.tenantName} --user admin --role owner`,
    '',
  ].filter((l) => l !== '');
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: finishing in-flight work and shutting down\n`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      if (app) await app.close();
      await container.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof DatabaseNewerThanBuildError) {
    // Not worth restarting: the next start meets the same database (systemd: RestartPreventExitStatus=3).
    process.stderr.write(`Ledgerline refused to start: ${err.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`Ledgerline failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
