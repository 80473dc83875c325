import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStat } from '../../src/storage/blob-store.js';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { registerLocalStorageRoutes } from '../../src/storage/local-storage.routes.js';

const PUBLIC = 'http://ledgerline.test';
const T0 = Date.UTC(2030, 0, 1);

let dir: string;
let now: number;
let store: LocalBlobStore;
let app: FastifyInstance;
let written: Array<{ key: string; stat: BlobStat }>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerline-routes-'));
  now = T0;
  written = [];
  store = new LocalBlobStore({ root: dir, publicUrl: PUBLIC, secret: 'route-secret', now: () => now });
  app = Fastify();
  await registerLocalStorageRoutes(app, {
    store,
    onObjectWritten: async (key, stat) => {
      written.push({ key, stat });
    },
  });
  // A sibling route: the storage plugin's catch-all body parser must not reach it.
  app.post('/echo', async (request) => ({ body: request.body, isObject: typeof request.body === 'object' }));
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

/** Path + query of a signed URL, for inject. */
const local = (url: string) => url.slice(PUBLIC.length);
const tmpFiles = async () => (existsSync(store.tmpDir) ? readdir(store.tmpDir) : []);
const bytes = (n: number, seed = 7) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256));

async function signedPut(key: string, body: Buffer, contentType = 'audio/wav') {
  const signed = await store.signedPutUrl(key, { expiresInSec: 300, contentType, byteSize: body.length });
  return { signed, url: local(signed.url) };
}

describe('PUT /storage/*', () => {
  it('stores the body, answers { key, size } and reports the write', async () => {
    const body = bytes(5000);
    const { signed, url } = await signedPut('t/1/a.wav', body);
    const res = await app.inject({ method: 'PUT', url, headers: signed.headers, payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ key: 't/1/a.wav', size: 5000 });
    expect((await readFile(join(dir, 'objects/t/1/a.wav'))).equals(body)).toBe(true);
    expect(written).toEqual([{ key: 't/1/a.wav', stat: expect.objectContaining({ size: 5000, contentType: 'audio/wav' }) }]);
    expect(await store.stat('t/1/a.wav')).toMatchObject({ contentType: 'audio/wav' });
  });

  it('surfaces a failing onObjectWritten instead of answering 200', async () => {
    const other = Fastify();
    await registerLocalStorageRoutes(other, {
      store,
      onObjectWritten: async () => {
        throw new Error('database down');
      },
    });
    const body = bytes(10);
    const { signed, url } = await signedPut('t/1/hook.wav', body);
    const res = await other.inject({ method: 'PUT', url, headers: signed.headers, payload: body });
    expect(res.statusCode).toBe(500);
    await other.close();
  });

  it('stores bodies of types Fastify would otherwise parse byte for byte', async () => {
    for (const [key, type, text] of [
      ['t/1/doc.json', 'application/json', '{ "a" :  1 ,"b":[ ] }\n'],
      ['t/1/notes.txt', 'text/plain; charset=utf-8', 'plain  text\r\n'],
    ]) {
      const body = Buffer.from(text);
      const { signed, url } = await signedPut(key, body, type);
      const res = await app.inject({ method: 'PUT', url, headers: signed.headers, payload: body });
      expect(res.statusCode, type).toBe(200);
      expect((await readFile(join(dir, 'objects', key))).equals(body)).toBe(true);
    }
  });

  describe('with a maximum instead of an exact size', () => {
    const signMax = async (key: string, max: number) => {
      const signed = await store.signedPutUrl(key, { expiresInSec: 300, contentType: 'audio/wav', byteSize: max, exactSize: false });
      return { signed, url: local(signed.url) };
    };

    it('takes any body up to the maximum', async () => {
      const { signed, url } = await signMax('t/1/m.wav', 1000);
      expect(signed.headers).toEqual({ 'Content-Type': 'audio/wav' });
      const res = await app.inject({ method: 'PUT', url, headers: signed.headers, payload: bytes(600) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ key: 't/1/m.wav', size: 600 });
      expect(written.map((w) => w.key)).toEqual(['t/1/m.wav']);
    });

    it('refuses a larger body and stores nothing', async () => {
      const { signed, url } = await signMax('t/1/m.wav', 1000);
      const res = await app.inject({ method: 'PUT', url, headers: signed.headers, payload: bytes(1001) });
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('payload_too_large');
      expect(await store.stat('t/1/m.wav')).toBeNull();
      expect(await tmpFiles()).toEqual([]);
    });

    it('cannot be bent to a larger maximum or turned into an exact size', async () => {
      const { signed, url } = await signMax('t/1/m.wav', 1000);
      for (const bent of [url.replace('max=1000', 'max=5000'), url.replace('max=1000', 'len=1000'), `${url}&len=1000`]) {
        const res = await app.inject({ method: 'PUT', url: bent, headers: signed.headers, payload: bytes(10) });
        expect(res.statusCode, bent).toBe(403);
        expect(res.json().code).toBe('signature_invalid');
      }
      expect(await store.stat('t/1/m.wav')).toBeNull();
    });
  });

  it('accepts an empty object when signed for 0 bytes', async () => {
    const { signed, url } = await signedPut('t/1/empty.txt', Buffer.alloc(0), 'text/plain');
    const res = await app.inject({ method: 'PUT', url, headers: signed.headers, payload: Buffer.alloc(0) });
    expect(res.statusCode).toBe(200);
    expect(await store.stat('t/1/empty.txt')).toMatchObject({ size: 0 });
  });

  describe('refuses and stores nothing', () => {
    const body = bytes(1000);
    const cases: Array<[string, (u: string, h: Record<string, string>) => { url: string; headers: Record<string, string>; payload?: Buffer; method?: 'PUT' | 'GET' }, number, string]> = [
      ['a tampered signature', (u, h) => ({ url: u.replace(/sig=([0-9a-f])/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`), headers: h }), 403, 'signature_invalid'],
      ['another key', (u, h) => ({ url: u.replace('/storage/t/1/x.wav', '/storage/t/1/y.wav'), headers: h }), 403, 'signature_invalid'],
      ['a longer signed size', (u, h) => ({ url: u.replace('len=1000', 'len=2000'), headers: { ...h, 'content-length': '2000' }, payload: bytes(2000) }), 403, 'signature_invalid'],
      ['another signed content type', (u, h) => ({ url: u.replace('ct=audio%2Fwav', 'ct=text%2Fhtml'), headers: { ...h, 'content-type': 'text/html' } }), 403, 'signature_invalid'],
      ['another content type', (u, h) => ({ url: u, headers: { ...h, 'content-type': 'text/html' } }), 400, 'content_type_mismatch'],
      ['a content type with parameters added', (u, h) => ({ url: u, headers: { ...h, 'content-type': 'audio/wav; charset=utf-8' } }), 400, 'content_type_mismatch'],
      ['a body larger than declared', (u, h) => ({ url: u, headers: { ...h, 'content-length': '1001' }, payload: bytes(1001) }), 413, 'payload_too_large'],
      ['a smaller declared length', (u, h) => ({ url: u, headers: { ...h, 'content-length': '999' }, payload: bytes(999) }), 400, 'content_length_mismatch'],
    ];
    it.each(cases)('%s', async (_name, bend, status, code) => {
      const { signed, url } = await signedPut('t/1/x.wav', body);
      const req = bend(url, { ...signed.headers });
      const res = await app.inject({ method: req.method ?? 'PUT', url: req.url, headers: req.headers, payload: req.payload ?? body });
      expect(res.statusCode).toBe(status);
      expect(res.json().code).toBe(code);
      expect(await store.stat('t/1/x.wav')).toBeNull();
      expect(await store.stat('t/1/y.wav')).toBeNull();
      expect(await tmpFiles()).toEqual([]);
      expect(written).toEqual([]);
    });
  });

  it('refuses a GET URL used for PUT', async () => {
    await store.put('t/1/g.wav', Buffer.from('original'));
    const url = local(await store.signedGetUrl('t/1/g.wav', { expiresInSec: 60 }));
    const res = await app.inject({ method: 'PUT', url, headers: { 'content-type': 'audio/wav' }, payload: 'changed' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('signature_invalid');
    expect(await readFile(join(dir, 'objects/t/1/g.wav'), 'utf8')).toBe('original');
  });

  it('refuses an expired URL', async () => {
    const body = bytes(10);
    const { signed, url } = await signedPut('t/1/late.wav', body);
    now = T0 + 301_000;
    const res = await app.inject({ method: 'PUT', url, headers: signed.headers, payload: body });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('url_expired');
    expect(await store.stat('t/1/late.wav')).toBeNull();
  });

  it('stores nothing when the body is shorter than its Content-Length', async () => {
    const { signed, url } = await signedPut('t/1/short.wav', bytes(1000));
    const res = await app.inject({ method: 'PUT', url, headers: signed.headers, payload: bytes(600) });
    expect(res.statusCode).toBe(400);
    expect(await store.stat('t/1/short.wav')).toBeNull();
    expect(await tmpFiles()).toEqual([]);
  });

  it('requires a Content-Length', async () => {
    const { signed, url } = await signedPut('t/1/chunked.wav', bytes(10));
    const res = await app.inject({
      method: 'PUT',
      url,
      headers: { 'content-type': signed.headers['Content-Type'], 'transfer-encoding': 'chunked' },
      payload: bytes(10),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('content_length_required');
    expect(await store.stat('t/1/chunked.wav')).toBeNull();
  });
});

describe('GET/HEAD /storage/*', () => {
  const body = bytes(1000, 3);
  beforeEach(async () => {
    await store.put('t/1/song.mp3', body, { contentType: 'audio/mpeg' });
  });
  const signedGet = async (opts: { downloadName?: string; contentType?: string } = {}) =>
    local(await store.signedGetUrl('t/1/song.mp3', { expiresInSec: 60, ...opts }));

  it('serves the whole object', async () => {
    const res = await app.inject({ method: 'GET', url: await signedGet() });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(body)).toBe(true);
    expect(res.headers['content-type']).toBe('audio/mpeg');
    expect(res.headers['content-length']).toBe('1000');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.headers['last-modified']).toBeDefined();
  });

  it('serves ranges', async () => {
    const url = await signedGet();
    const cases: Array<[string, number, number]> = [
      ['bytes=0-9', 0, 9],
      ['bytes=990-', 990, 999],
      ['bytes=-5', 995, 999],
      ['bytes=500-5000', 500, 999],
    ];
    for (const [range, start, end] of cases) {
      const res = await app.inject({ method: 'GET', url, headers: { range } });
      expect(res.statusCode, range).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
      expect(res.headers['content-length']).toBe(String(end - start + 1));
      expect(res.rawPayload.equals(body.subarray(start, end + 1))).toBe(true);
    }
  });

  it('answers 416 to an unsatisfiable range', async () => {
    const res = await app.inject({ method: 'GET', url: await signedGet(), headers: { range: 'bytes=1000-' } });
    expect(res.statusCode).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */1000');
    expect(res.json().code).toBe('range_not_satisfiable');
  });

  it('answers HEAD with headers only', async () => {
    const url = await signedGet();
    const res = await app.inject({ method: 'HEAD', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.headers['content-type']).toBe('audio/mpeg');
    expect(res.rawPayload.length).toBe(0);
    const ranged = await app.inject({ method: 'HEAD', url, headers: { range: 'bytes=10-19' } });
    expect(ranged.statusCode).toBe(206);
    expect(ranged.headers['content-range']).toBe('bytes 10-19/1000');
    expect(ranged.headers['content-length']).toBe('10');
  });

  it('sends the signed download name and content type', async () => {
    const res = await app.inject({ method: 'GET', url: await signedGet({ downloadName: 'Mon Titre é.mp3', contentType: 'application/octet-stream' }) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Mon Titre e.mp3"; filename*=UTF-8''Mon%20Titre%20%C3%A9.mp3`);
    expect(res.headers['content-type']).toBe('application/octet-stream');
  });

  it('refuses tampered, re-targeted, PUT and expired URLs', async () => {
    const url = await signedGet({ downloadName: 'a.mp3' });
    await store.put('t/1/other.mp3', Buffer.from('other'));
    const put = local((await store.signedPutUrl('t/1/song.mp3', { expiresInSec: 60, contentType: 'audio/mpeg', byteSize: 1 })).url);
    const attempts = [
      url.replace('dn=a.mp3', 'dn=b.mp3'),
      url.replace('/storage/t/1/song.mp3', '/storage/t/1/other.mp3'),
      url.replace(/&sig=[0-9a-f]+/, ''),
      put,
    ];
    for (const attempt of attempts) {
      const res = await app.inject({ method: 'GET', url: attempt });
      expect(res.statusCode, attempt).toBe(403);
      expect(res.json().code).toBe('signature_invalid');
    }
    now = T0 + 61_000;
    const expired = await app.inject({ method: 'GET', url });
    expect(expired.statusCode).toBe(403);
    expect(expired.json().code).toBe('url_expired');
  });

  it('answers 404 for a signed URL to a missing object', async () => {
    const url = local(await store.signedGetUrl('t/1/missing.mp3', { expiresInSec: 60 }));
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('blob_not_found');
  });

  it('refuses keys that try to leave the store', async () => {
    const url = await signedGet();
    const query = url.slice(url.indexOf('?'));
    for (const path of ['/storage/..%2f..%2fetc%2fpasswd', '/storage/t/1/..%2F..%2F..%2Fetc', '/storage/%2fetc%2fpasswd', '/storage/t//1', '/storage/t/1/a%00b']) {
      const res = await app.inject({ method: 'GET', url: path + query });
      expect(res.statusCode, path).toBe(400);
      expect(res.json().code).toBe('invalid_key');
    }
  });

});

describe('encapsulation', () => {
  it('leaves JSON parsing of other routes alone', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ body: { a: 1 }, isObject: true });
    const text = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-unknown' }, payload: 'x' });
    expect(text.statusCode).toBe(415);
  });
});
