import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { createContainer, type Container } from '../../../src/container.js';
import { createTestApp, postgresUrl, type TestApp } from '../../helpers/app.js';

/** Two API processes on one PostgreSQL database count a client's public requests together. */
describe.skipIf(!postgresUrl())('public rate limit across API processes (postgres)', () => {
  let a: TestApp;
  let secondContainer: Container;
  let b: FastifyInstance;
  beforeAll(async () => {
    a = await createTestApp({ dialect: 'postgres', env: { PUBLIC_RATE_LIMIT: '6' } });
    secondContainer = await createContainer(a.config);
    b = await buildApp(secondContainer, { logger: false });
    await b.ready();
  });
  afterAll(async () => {
    await b?.close();
    await secondContainer?.close();
    await a?.close();
  });

  const hit = (app: FastifyInstance, ip: string) => app.inject({ url: '/api/swayzio/v1/public/track-links/sl_nothing', remoteAddress: ip });

  it('refuses the request past the limit whichever process it reaches', async () => {
    // Windows are whole minutes: start well inside one.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 50));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await hit(i % 2 ? b : a.app, '198.51.100.7')).statusCode);
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404]);
    const refusedA = await hit(a.app, '198.51.100.7');
    const refusedB = await hit(b, '198.51.100.7');
    expect([refusedA.statusCode, refusedB.statusCode]).toEqual([429, 429]);
    expect(refusedB.json()).toMatchObject({ error: 'rate_limited' });
    expect(Number(refusedA.headers['retry-after'])).toBeGreaterThan(0);
    // Another client is counted on its own.
    expect((await hit(b, '198.51.100.8')).statusCode).toBe(404);
  });
});
