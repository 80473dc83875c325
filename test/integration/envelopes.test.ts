import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../helpers/app.js';

/** Each surface answers every failure in its own envelope, with a stable code or message. */
describe.each(dialects())('error envelopes per surface (%s)', (dialect) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
    token = await t.token({ role: 'admin' });
  });
  afterAll(async () => t?.close());

  const collections = (body: Record<string, unknown>) => {
    expect(body.ok).toBe(false);
    expect(typeof body.message).toBe('string');
    expect(body.api_request_id).toMatch(/^[0-9a-f-]{36}$/);
  };
  const workspace = (body: Record<string, unknown>, code: string) => expect(body.error).toBe(code);
  const distribution = (body: Record<string, unknown>) => {
    expect(body.status).toBe('error');
    expect(typeof body.message).toBe('string');
  };

  it('401 without or with a bad credential', async () => {
    for (const headers of [{}, bearer('nope'), bearer('ll_nope')]) {
      const a = await t.app.inject({ url: '/v1/collection', headers });
      expect(a.statusCode).toBe(401);
      collections(a.json());
      expect(a.headers['x-request-id']).toBe(a.json().api_request_id);
      const b = await t.app.inject({ url: '/api/swayzio/v1/tracks', headers });
      expect(b.statusCode).toBe(401);
      workspace(b.json(), 'unauthorized');
      expect(b.headers['cache-control']).toBe('no-store');
      const c = await t.app.inject({ url: '/releases', headers });
      expect(c.statusCode).toBe(401);
      distribution(c.json());
    }
  });

  it('404 for unknown routes and unknown resources', async () => {
    const h = bearer(token);
    const a = await t.app.inject({ url: '/v1/nothing-here', headers: h });
    expect(a.statusCode).toBe(404);
    collections(a.json());
    const a2 = await t.app.inject({ url: '/v1/track/0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e', headers: h });
    expect(a2.statusCode).toBe(404);
    collections(a2.json());
    const b = await t.app.inject({ url: '/api/swayzio/v1/nothing-here', headers: h });
    expect(b.statusCode).toBe(404);
    expect(typeof b.json().error).toBe('string');
    const b2 = await t.app.inject({ url: '/api/swayzio/v1/tracks/0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e', headers: h });
    expect(b2.statusCode).toBe(404);
    workspace(b2.json(), 'track_not_found');
    const c = await t.app.inject({ url: '/nothing-here', headers: h });
    expect(c.statusCode).toBe(404);
    distribution(c.json());
    const c2 = await t.app.inject({ url: '/releases/0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e', headers: h });
    expect(c2.statusCode).toBe(404);
    distribution(c2.json());
  });

  it('400 for malformed JSON and invalid input, 413 for oversized bodies', async () => {
    const h = { ...bearer(token), 'content-type': 'application/json' };
    const a = await t.app.inject({ method: 'POST', url: '/v1/collection', headers: h, payload: '{"title":' });
    expect(a.statusCode).toBe(400);
    collections(a.json());
    const a2 = await t.app.inject({ method: 'POST', url: '/v1/collection', headers: h, payload: '{}' });
    expect(a2.statusCode).toBe(400);
    expect(a2.json().message).toMatch(/title/);
    const b = await t.app.inject({ method: 'POST', url: '/api/swayzio/v1/uploads', headers: h, payload: '{"fileName":' });
    expect(b.statusCode).toBe(400);
    workspace(b.json(), 'invalid_json');
    const b2 = await t.app.inject({ method: 'POST', url: '/api/swayzio/v1/uploads', headers: h, payload: '{"fileName": 5}' });
    expect(b2.statusCode).toBe(400);
    workspace(b2.json(), 'validation_error');
    expect(b2.json().issues.length).toBeGreaterThan(0);
    const c = await t.app.inject({ method: 'POST', url: '/releases', headers: h, payload: '{"title":' });
    expect(c.statusCode).toBe(400);
    distribution(c.json());
    const huge = JSON.stringify({ title: 'x'.repeat(11 * 1024 * 1024) });
    const d = await t.app.inject({ method: 'POST', url: '/v1/collection', headers: h, payload: huge });
    expect(d.statusCode).toBe(413);
    collections(d.json());
  });

  it('403 for a missing entitlement in the workspace envelope with the plan fields', async () => {
    const free = await t.token({ tenant: 'freebie', user: 'f', role: 'admin', plan: 'free' });
    const res = await t.app.inject({ method: 'POST', url: '/api/swayzio/v1/search/tracks', headers: bearer(free), payload: { query: 'x', mode: 'keyword' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'entitlement_required', feature: 'search.private', planId: 'free', upgradeRequired: true });
  });

});

describe('internal failures', () => {
  it('answer 500 in each envelope without the thrown message, and readiness reports the database', async () => {
    const t = await createTestApp();
    const token = await t.token({ role: 'admin' });
    // Pull the database out from under the running app: every query now throws.
    await t.container.database.close();
    t.container.services.auth.clearCache();
    const a = await t.app.inject({ url: '/v1/collection', headers: bearer(token) });
    expect(a.statusCode).toBe(500);
    expect(a.json()).toMatchObject({ ok: false, message: 'Internal server error' });
    const b = await t.app.inject({ url: '/api/swayzio/v1/tracks', headers: bearer(token) });
    expect(b.statusCode).toBe(500);
    expect(b.json()).toEqual({ error: 'internal_error' });
    const c = await t.app.inject({ url: '/releases', headers: bearer(token) });
    expect(c.statusCode).toBe(500);
    expect(c.json()).toEqual({ status: 'error', message: 'Internal server error' });
    for (const res of [a, b, c]) expect(res.body).not.toMatch(/destroy|driver|sqlite|kysely/i);
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.database.ok).toBe(false);
    await t.app.close();
  });
});
