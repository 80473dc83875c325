import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { ROUTE_ACCESS } from './route-access.js';

const fill = (url: string, ids: Record<string, string> = {}) => url.replace(/:([A-Za-z_]+)/g, (_, name: string) => ids[name] ?? 'x0').replace('*', 'x0');

/** The 401 envelope each surface answers in. */
function envelopeOf(url: string): (body: any) => boolean {
  if (url.startsWith('/v1/')) return (b) => b.ok === false && typeof b.message === 'string';
  if (url.startsWith('/api/swayzio/')) return (b) => typeof b.error === 'string';
  if (url.startsWith('/admin/') || url === '/whoami') return (b) => typeof b.error === 'string' && typeof b.message === 'string';
  return (b) => b.status === 'error' && typeof b.message === 'string';
}

/**
 * Every route × every kind of credential that must not work. A route that takes a credential
 * answers 401 in its surface's envelope, before its body is read; a route that takes none (or
 * another kind) answers a bad Bearer header exactly as it answers no header, and never 5xx. A
 * route without a row in route-access.ts, or a row without a route, fails the test.
 */
describe.each(dialects())('credential matrix (%s)', (dialect) => {
  let t: TestApp;
  const bad: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    const token = await t.token({ role: 'owner' });
    const claims = decodeJwt(token);
    const secret = new TextEncoder().encode(t.config.jwt.secret);
    const sign = (patch: Record<string, unknown>, key = secret) =>
      new SignJWT({ ...claims, ...patch } as Record<string, unknown>).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
    const [head, body, sig] = token.split('.');
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

    const admin = bearer(token);
    const key = await t.app.inject({ method: 'POST', url: '/admin/api-keys', headers: admin, payload: { name: 'gone', type: 'server' } });
    expect(key.statusCode, key.body).toBe(201);
    expect((await t.app.inject({ method: 'DELETE', url: `/admin/api-keys/${key.json().id}`, headers: admin })).statusCode).toBeLessThan(300);

    Object.assign(bad, {
      none: {},
      'not bearer': { authorization: `Token ${token}` },
      'empty bearer': { authorization: 'Bearer ' },
      malformed: bearer('not.a.jwt'),
      'tampered signature': bearer(`${head}.${body}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`),
      'tampered claims': bearer(`${head}.${b64({ ...claims, role: 'owner', tid: 'another-tenant' })}.${sig}`),
      'alg none': bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${body}.`),
      expired: bearer(await sign({ iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 })),
      'another signing key': bearer(await sign({}, new TextEncoder().encode('another-secret-another-secret-another-secret'))),
      'revoked API key': bearer(key.json().key),
      'unknown API key': bearer(`${String(key.json().key).slice(0, 12)}${'x'.repeat(32)}`),
      'huge token': bearer('A'.repeat(5000)),
    });
  });
  afterAll(async () => t?.close());

  it('has a row for every route, and a route for every row', () => {
    const registered = new Set(t.app.routeTable.map((r) => `${r.method} ${r.url}`));
    expect([...registered].filter((k) => !(k in ROUTE_ACCESS)), 'routes without a row in route-access.ts').toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((k) => !registered.has(k)), 'rows without a route').toEqual([]);
  });

  it('refuses every bad credential on every route that takes one, and ignores it on every other route', async () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const { method, url } of t.app.routeTable) {
      const access = ROUTE_ACCESS[`${method} ${url}`];
      if (!access) continue;
      const send = (headers: Record<string, string>) =>
        t.app.inject({ method: method as 'GET', url: fill(url), headers: { ...headers, 'content-type': 'application/json' }, ...(method === 'GET' || method === 'DELETE' || method === 'OPTIONS' ? {} : { payload: '{}' }) });
      const baseline = access === 'credential' ? null : await send({});
      for (const [kind, headers] of Object.entries(bad)) {
        const res = await send(headers);
        cells++;
        const cell = `${method} ${url} × ${kind}`;
        if (access === 'credential') {
          let body: unknown = null;
          try {
            body = res.json();
          } catch {
            /* not JSON: wrong */
          }
          if (res.statusCode !== 401 || !envelopeOf(url)(body)) wrong.push(`${cell}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        } else if (res.statusCode !== baseline!.statusCode || res.statusCode >= 500) {
          wrong.push(`${cell}: ${res.statusCode}, without a credential ${baseline!.statusCode}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBeGreaterThan(150 * Object.keys(bad).length);
  });

  it("answers another tenant's valid credential with 404 on every read of this tenant's records", async () => {
    const owner = bearer(await t.token({ role: 'owner' }));
    const post = async (url: string, payload: object) => {
      const res = await t.app.inject({ method: 'POST', url, headers: owner, payload });
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
      return res.json();
    };
    const collection = await post('/v1/collection', { title: 'Mine' });
    const track = await post('/v1/track', { collection_id: collection.collection_id, file_name: 'a.wav' });
    const wsTrack = (await t.app.inject({ url: '/api/swayzio/v1/tracks', headers: owner })).json();
    const release = (await post('/releases', { title: 'Mine', displayArtist: 'Mine', tracks: [{ title: 'One', displayArtist: 'Mine' }] })).data;
    const product = (await post('/product', { title: 'Mine' })).data;
    const artist = (await post('/artist', { artistName: 'Mine' })).data;
    const asset = (await post('/asset', { title: 'Mine' })).data;
    const collaborator = await post('/api/swayzio/v1/collaborators', { name: 'Mine' });
    const byPrefix: Array<[string, Record<string, string>]> = [
      ['/v1/', { collection_id: collection.collection_id, track_id: track.track_id, organization_id: 'x0', creator_id: 'x0', variant_id: 'x0' }],
      ['/api/swayzio/', { trackId: track.track_id, collaboratorId: collaborator.id ?? collaborator.data?.id, resource: 'lyrics' }],
      ['/releases/', { id: release.id }],
      ['/product/', { id: product.id }],
      ['/artist/', { id: artist.id }],
      ['/asset/', { id: asset.id }],
    ];
    expect(wsTrack).toBeTruthy();
    const stranger = bearer(await t.token({ tenant: 'stranger', user: 'eve', role: 'owner' }));
    const wrong: string[] = [];
    let checked = 0;
    for (const { method, url } of t.app.routeTable) {
      if (method !== 'GET' || ROUTE_ACCESS[`${method} ${url}`] !== 'credential' || !url.includes(':')) continue;
      const ids = byPrefix.find(([p]) => url.startsWith(p))?.[1];
      if (!ids) continue;
      const path = fill(url, ids);
      // Only records this tenant can read make the cell meaningful.
      if ((await t.app.inject({ url: path, headers: owner })).statusCode !== 200) continue;
      checked++;
      const res = await t.app.inject({ url: path, headers: stranger });
      if (res.statusCode !== 404) wrong.push(`${url}: ${res.statusCode} ${res.body.slice(0, 100)}`);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it('refuses the roles and key types a route is not for, on every route of /admin, the workspace and distribution', async () => {
    const owner = bearer(await t.token({ role: 'owner' }));
    const collection = (await t.app.inject({ method: 'POST', url: '/v1/collection', headers: owner, payload: { title: 'Keys' } })).json();
    const key = async (type: string) => {
      const made = await t.app.inject({ method: 'POST', url: '/admin/api-keys', headers: owner, payload: { type, collectionId: collection.collection_id } });
      expect(made.statusCode, made.body).toBe(201);
      return bearer(made.json().key);
    };
    // Browser-facing keys reach the collections surface only; members and guests never reach /admin.
    const cells: Array<[string, Record<string, string>, (url: string) => boolean]> = [
      ['member', bearer(await t.token({ user: 'mia', role: 'member' })), (url) => url.startsWith('/admin/')],
      ['guest', bearer(await t.token({ user: 'gil', role: 'guest' })), (url) => url.startsWith('/admin/')],
      ['player key', await key('player'), (url) => !url.startsWith('/v1/') && url !== '/whoami'],
      ['share key', await key('share'), (url) => !url.startsWith('/v1/') && url !== '/whoami'],
      ['uploader key', await key('uploader'), (url) => !url.startsWith('/v1/') && url !== '/whoami'],
    ];
    const wrong: string[] = [];
    let checked = 0;
    for (const { method, url } of t.app.routeTable) {
      if (ROUTE_ACCESS[`${method} ${url}`] !== 'credential') continue;
      for (const [kind, headers, refused] of cells) {
        if (!refused(url)) continue;
        const res = await t.app.inject({ method: method as 'GET', url: fill(url), headers: { ...headers, 'content-type': 'application/json' }, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: '{}' }) });
        checked++;
        if (res.statusCode !== 403) wrong.push(`${method} ${url} × ${kind}: ${res.statusCode} ${res.body.slice(0, 100)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });
});
