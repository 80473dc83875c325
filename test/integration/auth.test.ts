import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../helpers/app.js';

describe.each(dialects())('auth and platform (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => t?.close());

  it('migrates every table', async () => {
    const tenants = await t.container.db.selectFrom('tenants').select('id').execute();
    expect(Array.isArray(tenants)).toBe(true);
    const jobs = await t.container.db.selectFrom('jobs').select('id').execute();
    expect(jobs).toEqual([]);
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.database.ok).toBe(true);
    const metrics = await t.app.inject('/metrics');
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/readyz"');
    const spec = (await t.app.inject('/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/admin/api-keys');
    const docs = await t.app.inject('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    const health = await t.app.inject('/api/swayzio/health');
    expect(health.json()).toMatchObject({ status: 'ok', service: 'ledgerline' });
    expect(health.headers['cache-control']).toBe('no-store');
  });

  it('sends a request id header on every response', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts our own JWT and rejects missing, malformed, tampered, foreign and expired ones', async () => {
    const token = await t.token({ role: 'admin' });
    const ok = await t.app.inject({ url: '/admin/tenant', headers: bearer(token) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('acme');

    const tampered = token.slice(0, -3) + (token.endsWith('aaa') ? 'bbb' : 'aaa');
    const foreign = await new SignJWT({ tid: ok.json().id, role: 'owner' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('ledgerline')
      .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));
    const expired = await t.token({ user: 'old', ttlSeconds: -10 });
    for (const authorization of [undefined, 'Basic abc', 'Bearer', `Bearer ${tampered}`, `Bearer ${foreign}`, `Bearer ${expired}`, 'Bearer not.a.jwt', `Bearer ${'x'.repeat(5000)}`]) {
      const res = await t.app.inject({ url: '/admin/tenant', headers: authorization ? { authorization } : {} });
      expect(res.statusCode, String(authorization).slice(0, 40)).toBe(401);
      expect(res.json().error).toBe('unauthorized');
    }
  });

  it('tells a credential who it is, for any role', async () => {
    const guest = await t.token({ user: 'gus', role: 'guest' });
    const res = await t.app.inject({ url: '/whoami', headers: bearer(guest) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ tenantName: 'acme', role: 'guest', via: 'jwt' });
    expect(res.json().entitlements).toContain('tracks.share');
    expect((await t.app.inject({ url: '/whoami' })).statusCode).toBe(401);
  });

  it('a cached credential stops counting when it runs out or its user changes', async () => {
    // `exp` is in whole seconds: two of them leave at least one before it passes.
    const brief = await t.token({ user: 'brief', role: 'admin', ttlSeconds: 2 });
    expect((await t.app.inject({ url: '/whoami', headers: bearer(brief) })).statusCode).toBe(200);
    const { key } = await t.container.services.identity.createApiKey({ tenantId: (await t.app.inject({ url: '/whoami', headers: bearer(brief) })).json().tenantId, type: 'server', ttlSeconds: 1 });
    expect((await t.app.inject({ url: '/whoami', headers: bearer(key) })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await t.app.inject({ url: '/whoami', headers: bearer(brief) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/whoami', headers: bearer(key) })).statusCode).toBe(401);

    const demoted = await t.token({ user: 'demoted', role: 'admin' });
    expect((await t.app.inject({ url: '/admin/tenant', headers: bearer(demoted) })).statusCode).toBe(200);
    await t.container.db.updateTable('users').set({ role: 'member' }).where('name', '=', 'demoted').execute();
    expect((await t.app.inject({ url: '/admin/tenant', headers: bearer(demoted) })).statusCode).toBe(403);
  });

  it('shows the tenant as it is now, though the request that authenticated it read it a moment ago', async () => {
    const admin = bearer(await t.token({ user: 'renamer', role: 'admin' }));
    const before = (await t.app.inject({ url: '/admin/tenant', headers: admin })).json();
    await t.container.db.updateTable('tenants').set({ plan: 'enterprise' }).where('id', '=', before.id).execute();
    expect((await t.app.inject({ url: '/admin/tenant', headers: admin })).json()).toMatchObject({ id: before.id, plan: 'enterprise' });
    await t.container.db.updateTable('tenants').set({ plan: before.plan }).where('id', '=', before.id).execute();
    expect((await t.app.inject({ url: '/admin/tenant', headers: admin })).json().plan).toBe(before.plan);
  });

  it('requires the admin role for administration', async () => {
    const member = await t.token({ user: 'bob', role: 'member' });
    const res = await t.app.inject({ url: '/admin/tenant', headers: bearer(member) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'admin_required' });
  });

  it('mints API keys shown once, stored hashed, revocable', async () => {
    const admin = await t.token({ role: 'admin' });
    const created = await t.app.inject({ method: 'POST', url: '/admin/api-keys', headers: bearer(admin), payload: { name: 'ci', type: 'server' } });
    expect(created.statusCode).toBe(201);
    const { key, id } = created.json();
    expect(key).toMatch(/^ll_[A-Za-z0-9_-]{20,}$/);

    const stored = await t.container.db.selectFrom('apiKeys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.keyHash).not.toContain(key);
    expect(JSON.stringify(stored)).not.toContain(key);
    const listed = await t.app.inject({ url: '/admin/api-keys', headers: bearer(admin) });
    expect(listed.body).not.toContain(key);

    const withKey = await t.app.inject({ url: '/admin/tenant', headers: bearer(key) });
    expect(withKey.statusCode).toBe(200);

    const revoke = await t.app.inject({ method: 'DELETE', url: `/admin/api-keys/${id}`, headers: bearer(admin) });
    expect(revoke.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/admin/tenant', headers: bearer(key) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/admin/tenant', headers: bearer('ll_doesnotexist') })).statusCode).toBe(401);
  });

  it('scoped keys need a scope and are not admins', async () => {
    const admin = await t.token({ role: 'admin' });
    const noScope = await t.app.inject({ method: 'POST', url: '/admin/api-keys', headers: bearer(admin), payload: { type: 'player' } });
    expect(noScope.statusCode).toBe(400);
    expect(noScope.json().error).toBe('scope_required');
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/admin/api-keys',
      headers: bearer(admin),
      payload: { type: 'player', collectionId: '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('collection_not_found');
    const collection = await t.app.inject({ method: 'POST', url: '/v1/collection', headers: bearer(admin), payload: { title: 'Scoped' } });
    const player = await t.app.inject({
      method: 'POST',
      url: '/admin/api-keys',
      headers: bearer(admin),
      payload: { type: 'player', collectionId: collection.json().collection_id },
    });
    expect(player.statusCode).toBe(201);
    const res = await t.app.inject({ url: '/admin/tenant', headers: bearer(player.json().key) });
    expect(res.statusCode).toBe(403);
  });

  it('keeps tenants apart: another tenant’s key is not found', async () => {
    const a = await t.token({ tenant: 'alpha', user: 'a', role: 'admin' });
    const b = await t.token({ tenant: 'beta', user: 'b', role: 'admin' });
    const key = (await t.app.inject({ method: 'POST', url: '/admin/api-keys', headers: bearer(a), payload: {} })).json();
    const cross = await t.app.inject({ method: 'DELETE', url: `/admin/api-keys/${key.id}`, headers: bearer(b) });
    expect(cross.statusCode).toBe(404);
    const listB = (await t.app.inject({ url: '/admin/api-keys', headers: bearer(b) })).json();
    expect(listB.records.map((r: { id: string }) => r.id)).not.toContain(key.id);
  });

  it('answers validation failures and malformed JSON in the platform envelope', async () => {
    const admin = await t.token({ role: 'admin' });
    const bad = await t.app.inject({ method: 'POST', url: '/admin/api-keys', headers: bearer(admin), payload: { type: 'root' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('validation_error');
    expect(bad.json().issues[0].path).toContain('type');
    const json = await t.app.inject({
      method: 'POST',
      url: '/admin/api-keys',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      payload: '{"type":',
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().error).toBe('invalid_json');
  });
});

describe('external identity provider (JWKS)', () => {
  let t: TestApp;
  let server: Server;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey as CryptoKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    t = await createTestApp({ env: { JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, JWT_ISSUER: 'https://idp.test' } });
    await t.container.services.identity.createTenant({ name: 'ext-tenant' });
  });
  afterAll(async () => {
    await t?.close();
    server?.close();
  });

  const sign = (claims: Record<string, unknown>, issuer = 'https://idp.test') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('user-42').setIssuer(issuer).setExpirationTime('5m').sign(privateKey);

  it('accepts a token of the configured issuer and provisions its user', async () => {
    const token = await sign({ tenant: 'ext-tenant', role: 'admin' });
    const res = await t.app.inject({ url: '/admin/tenant', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('ext-tenant');
  });

  it('rejects another issuer or an unknown tenant', async () => {
    expect((await t.app.inject({ url: '/admin/tenant', headers: bearer(await sign({ tenant: 'ext-tenant' }, 'https://evil.test')) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/admin/tenant', headers: bearer(await sign({ tenant: 'nope' })) })).statusCode).toBe(401);
  });
});
