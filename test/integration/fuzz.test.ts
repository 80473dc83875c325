import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { rng } from '../helpers/rng.js';


const JUNK_SEGMENTS = ['x', '0', '-1', '%00', '..', '%2e%2e', 'null', '00000000-0000-0000-0000-000000000000', 'a'.repeat(600), '😀', "'; DROP TABLE tracks;--", '{id}'];
const BODIES: Array<string | undefined> = [
  undefined,
  '',
  '{',
  '[]',
  'null',
  '"string"',
  '123',
  '{"title": 5}',
  '{"title": null, "limit": -1}',
  '{"collection_id": "not-a-uuid", "file_name": ""}',
  '{"trackOrder": "x"}',
  '{"trackOrder": [1, 2, {}]}',
  '{"master": [{"collaboratorId": "c", "percentage": "abc"}], "writers": 7}',
  '{"fileName": "a.mp3", "contentType": "audio/mpeg", "byteSize": -5}',
  '{"fileName": "a.mp3", "contentType": "audio/mpeg", "byteSize": 1e309}',
  '{"mode": "semantic", "query": 42}',
  JSON.stringify({ deep: JSON.parse('['.repeat(200) + ']'.repeat(200)) }),
  JSON.stringify({ title: 'x'.repeat(100_000) }),
  '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

describe('malformed requests never produce a 5xx', () => {
  let t: TestApp;
  let paths: string[];
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = await t.token({ role: 'owner', entitlements: ['tracks.share', 'search.private'] });
    const spec = (await t.app.inject('/openapi.json')).json() as { paths: Record<string, unknown> };
    paths = Object.keys(spec.paths);
  });
  afterAll(async () => t?.close());

  it('survives a few hundred fuzzed requests', async () => {
    const rand = rng(20261127);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const failures: string[] = [];
    const auths = [() => bearer(token), () => ({}), () => bearer('ll_garbage'), () => bearer('eyJhbGciOiJub25lIn0.e30.'), () => ({ authorization: 'Bearer ' + 'A'.repeat(8000) })];
    for (let i = 0; i < 400; i++) {
      const template = pick(paths);
      const url = template.replace(/\{[^}]+\}|:[A-Za-z_]+/g, () => encodeURIComponent(pick(JUNK_SEGMENTS)).slice(0, 700)) + (rand() < 0.3 ? `?limit=${pick(['-1', '0', '9999', 'abc', ''])}&offset=${pick(['-5', 'x', '1e30'])}&cursor=${pick(['%%%', 'eyJ9', ''])}` : '');
      const method = pick(METHODS);
      const body = method === 'GET' || method === 'DELETE' ? undefined : pick(BODIES);
      const headers: Record<string, string> = { ...pick(auths)() };
      if (body !== undefined) headers['content-type'] = pick(['application/json', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']);
      if (rand() < 0.1) headers['x-junk'] = 'j'.repeat(16_000);
      const res = await t.app.inject({ method, url, headers, payload: body });
      if (res.statusCode >= 500) failures.push(`${method} ${url.slice(0, 120)} [${headers['content-type'] ?? ''}] ${body?.slice(0, 60) ?? ''} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (res.statusCode >= 400 && String(res.headers['content-type'] ?? '').includes('json')) {
        expect(() => JSON.parse(res.body)).not.toThrow();
        expect(res.body).not.toMatch(/SQLITE|syntax error at|stack/i);
      }
    }
    expect(failures).toEqual([]);
  });
});
