import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { injectPath } from '../../helpers/audio.js';
import { dialects } from '../../helpers/app.js';
import { setup, type Org } from './setup.js';
import { rng } from '../../helpers/rng.js';

/** Every path of the surface, with placeholders for ids. */
const TEMPLATES = [
  '/v1/api_key', '/v1/organization/{org}', '/v1/creator', '/v1/creator/{id}', '/v1/collection', '/v1/collection/{collection}',
  '/v1/collection/{collection}/track', '/v1/collection/{collection}/cover', '/v1/track', '/v1/track/{track}', '/v1/track/{track}/cover',
  '/v1/track/{track}/variant', '/v1/upload_session', '/v1/upload_session/{id}', '/v1/upload/{session}/track', '/v1/play_session/{scope}',
  '/v1/play_session/{id}', '/v1/play/{id}/{track}', '/v1/play/{id}/{track}/{index}/download', '/v1/variant', '/v1/variant/{id}',
];
const JUNK = ['x', '0', '-1', '%00', '..', 'null', '00000000-0000-0000-0000-000000000000', 'a'.repeat(300), '😀', "'; DROP TABLE tracks;--", 'playlist'];
const BODIES: Array<string | undefined> = [
  undefined, '', '{', '[]', 'null', '"s"', '123', '{"title": 5}', '{"title": null}', '{"collection_id": "nope", "file_name": ""}',
  '{"file_name": "a.mp3", "collection_id": null, "metadata": "x"}', '{"variant_type_id": "preview", "index": "ab", "preview_seconds": -1}',
  '{"variant_type_id": "transcode", "index": "zz", "bitrate": 1e309}', '{"variants": [null], "expires_in": "x"}', '{"theme": [{"hex": 1}]}',
  '{"api_key_type_id": "share", "title": "t", "variants": []}', '{"__proto__": {"ok": true}, "constructor": {"prototype": {"x": 1}}}',
  JSON.stringify({ metadata: JSON.parse('{"a":'.repeat(100) + '1' + '}'.repeat(100)) }), JSON.stringify({ title: 'x'.repeat(50_000) }),
];


describe.each(dialects())('collections: malformed requests never produce a 5xx (%s)', (dialect) => {
  let t: TestApp;
  let org: Org;
  const real: Record<string, string> = {};
  beforeAll(async () => {
    ({ t, org } = await setup(dialect));
    real.org = org.tenantId;
    real.collection = (await org.api.post('/v1/collection', { title: 'Fuzz' })).body.collection_id;
    const track = (await org.api.post('/v1/track', { collection_id: real.collection, file_name: 'f.mp3' })).body;
    real.track = track.track_id;
    real.cover = track.track_cover_upload.upload_url;
    real.session = (await org.api.post('/v1/upload_session', { collection_id: real.collection })).body.upload_session_id;
    real.player = (await org.api.post('/v1/api_key', { title: 'p', api_key_type_id: 'player', collection_id: real.collection })).body.api_key;
  });
  afterAll(async () => t?.close());

  it('survives a few hundred fuzzed requests', async () => {
    const rand = rng(4242);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const auths = [() => ({ authorization: `Bearer ${org.serverKey}` }), () => ({ authorization: `Bearer ${real.player}` }), () => ({}), () => ({ authorization: 'Bearer ll_junk' })];
    const failures: string[] = [];
    for (let i = 0; i < 500; i++) {
      const method = pick(['GET', 'POST', 'PUT', 'DELETE'] as const);
      const url = pick(TEMPLATES).replace(/\{(\w+)\}/g, (_m, name: string) => {
        const useReal = method !== 'DELETE' && rand() < 0.5 && real[name];
        return useReal ? real[name] : encodeURIComponent(pick(JUNK));
      }) + (rand() < 0.3 ? `?limit=${pick(['-1', '0', '201', 'abc', '1e99', ''])}&offset=${pick(['-5', 'x', '1e30', '99999999999'])}` : '');
      const body = method === 'GET' || method === 'DELETE' ? undefined : pick(BODIES);
      const headers: Record<string, string> = { ...pick(auths)() };
      if (body !== undefined) headers['content-type'] = pick(['application/json', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'image/png', 'application/octet-stream']);
      const res = await t.app.inject({ method, url, headers, payload: body });
      if (res.statusCode >= 500) failures.push(`${method} ${url.slice(0, 120)} [${headers['content-type'] ?? ''}] ${String(body).slice(0, 60)} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
      // `..` segments can take a URL out of /v1, where another envelope applies.
      else if (res.statusCode >= 400 && new URL(url, 'http://x').pathname.startsWith('/v1/')) expect(res.json(), `${method} ${url.slice(0, 100)}`).toMatchObject({ ok: false, message: expect.any(String), api_request_id: expect.any(String) });
    }
    expect(failures).toEqual([]);
  });

  it('the signed cover upload URL survives junk bodies', async () => {
    const bodies: Array<[string, string | Buffer]> = [
      ['multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="x"\r\n\r\nno file\r\n--zz--\r\n'],
      ['multipart/form-data; boundary=zz', 'garbage'],
      ['multipart/form-data', '--\r\n'],
      ['image/png', Buffer.alloc(0)],
      ['image/png', Buffer.from('\x89PNG\r\n\x1a\n-not-really')],
      ['image/gif', Buffer.from('GIF89a')],
      ['application/json', '{"image": "x"}'],
      ['text/plain', 'hello'],
    ];
    for (const [type, body] of bodies) {
      const res = await t.app.inject({ method: 'POST', url: injectPath(real.cover), headers: { 'content-type': type }, payload: body });
      expect(res.statusCode, `${type} ${String(body).slice(0, 20)}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${type} ${String(body).slice(0, 20)}`).toBeLessThan(500);
    }
  });
});
