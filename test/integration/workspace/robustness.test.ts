import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { client, createTrack } from './workspace-api.js';

const BODIES: Array<string | undefined> = [
  undefined,
  '{',
  'null',
  '[]',
  '"text"',
  '{"lyrics": {"a": 1}}',
  '{"master": [{"collaboratorId": 5, "percentage": {}}], "writers": [null]}',
  '{"master": [{"collaboratorId": "x", "percentage": "1e400"}], "writers": [{"collaboratorId": "y", "percentage": "-0.00"}]}',
  '{"title": "\\u0000", "isrc": "ZZ\\u0000", "releaseDate": "9999-99-99"}',
  '{"expiresAt": "2999-13-45T99:99:99Z", "accessCode": ""}',
  '{"query": "\\"*OR NEAR( AND", "mode": "keyword", "minBpm": -1}',
  '{"query": "a", "mode": "similar", "similarToTrackId": "\\u0000"}',
  JSON.stringify({ userTags: Array.from({ length: 60 }, (_, i) => `t${i}`) }),
  '{"__proto__": {"isAdmin": true}, "name": "x"}',
];

describe.each(dialects())('workspace never answers a client with a 5xx (%s)', (dialect) => {
  let t: TestApp;
  let token: string;
  let trackId: string;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    token = await t.token({ user: 'alice', role: 'member' });
    trackId = await createTrack(t, client(t, token), { name: 'robust.wav', bytes: toneBytes({ seconds: 1 }) });
  });
  afterAll(async () => t?.close());

  it('survives junk on every workspace route', async () => {
    const spec = (await t.app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const templates = Object.keys(spec.paths).filter((p) => p.startsWith('/api/swayzio/v1/'));
    expect(templates.length).toBeGreaterThan(25);
    const ids = [trackId, 'x', '00000000-0000-7000-8000-000000000000', "'; DROP TABLE tracks;--", '%F0%9F%98%80'];
    const failures: string[] = [];
    let n = 0;
    for (const template of templates) {
      for (const method of Object.keys(spec.paths[template]).map((m) => m.toUpperCase())) {
        for (const body of BODIES) {
          const id = ids[n++ % ids.length];
          const url = template.replace(/\{resource\}/g, ['tags', 'lyrics', 'split-sheet', 'metadata', 'nope'][n % 5]).replace(/\{[^}]+\}/g, id);
          const res = await t.app.inject({
            method: method as 'GET',
            url: `${url}?limit=${['-1', 'x', '50'][n % 3]}&includeHidden=${n % 2 ? 'true' : '1'}&samplesPerPixel=${['0', '256', 'x'][n % 3]}`,
            headers: { ...bearer(token), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(body !== undefined ? { payload: body } : {}),
          });
          if (res.statusCode >= 500) failures.push(`${method} ${url} ${body} -> ${res.statusCode} ${res.body}`);
          expect(res.headers['cache-control']).toBe('no-store');
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses NUL characters alike on every database', async () => {
    const api = client(t, token);
    const patch = await api.patch(`/tracks/${trackId}/metadata`, { title: 'a\u0000b' });
    expect(patch.statusCode).toBe(400);
    expect(patch.json()).toMatchObject({ error: 'validation_error', issues: [{ path: 'body.title' }] });
    expect((await api.get('/tracks/%00')).statusCode).toBe(400);
    expect((await api.get('/tracks?query=%00')).statusCode).toBe(400);
    expect((await api.post('/collaborators', { name: 'x', '\u0000': 1 })).statusCode).toBe(400);
    const cursor = (values: object) => Buffer.from(JSON.stringify(values)).toString('base64url');
    expect((await api.get(`/tracks?cursor=${cursor({ s: 'created_desc', v: 'a\u0000', i: 'x' })}`)).json().error).toBe('invalid_cursor');
    expect((await api.get(`/collaborators?cursor=${cursor({ n: 'a\u0000', i: 'x' })}`)).json().error).toBe('invalid_cursor');
  });
});
