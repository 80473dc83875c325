import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlobStore } from '../../src/storage/create-blob-store.js';
import { S3BlobStore } from '../../src/storage/s3-blob-store.js';
import { startS3rver, type RunningS3rver } from '../helpers/s3rver.js';

const MIB = 1024 * 1024;

let s3: RunningS3rver;
let store: S3BlobStore;
let tmp: string;

beforeAll(async () => {
  s3 = await startS3rver('ledgerline-blobs');
  tmp = await mkdtemp(join(tmpdir(), 'ledgerline-s3-materialize-'));
  store = new S3BlobStore({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    partSize: 5 * MIB,
    listPageSize: 2,
    tmpDir: tmp,
  });
});

afterAll(async () => {
  store?.client.destroy();
  await s3?.close();
  await rm(tmp, { recursive: true, force: true });
});

const text = async (r: Readable) => Buffer.concat(await r.toArray()).toString();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pattern = (n: number) => {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + 17) & 0xff;
  return b;
};
/** Streams `buf` in 64 KiB pieces, like a socket would. */
const streamOf = (buf: Buffer) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < buf.length; i += 64 * 1024) yield buf.subarray(i, i + 64 * 1024);
    })(),
  );

describe('S3BlobStore against s3rver', () => {
  it('is what createBlobStore builds from the STORAGE_URL', async () => {
    const fromUrl = createBlobStore({ storageUrl: s3.storageUrl, dataDir: '/unused', publicUrl: 'http://x', secret: 's' });
    expect(fromUrl.kind).toBe('s3');
    await fromUrl.check();
    await fromUrl.put('url/probe.txt', Buffer.from('via url'), { contentType: 'text/plain' });
    expect(await text((await store.get('url/probe.txt')).body)).toBe('via url');
    (fromUrl as S3BlobStore).client.destroy();
  });

  it('puts, stats, gets and deletes', async () => {
    const stat = await store.put('t/1/a.txt', Buffer.from('hello world'), { contentType: 'text/plain' });
    expect(stat).toMatchObject({ size: 11, contentType: 'text/plain' });
    expect(await store.stat('t/1/a.txt')).toMatchObject({ size: 11, contentType: 'text/plain' });
    const got = await store.get('t/1/a.txt');
    expect(got).toMatchObject({ size: 11, contentType: 'text/plain' });
    expect(await text(got.body)).toBe('hello world');

    await store.delete('t/1/a.txt');
    expect(await store.stat('t/1/a.txt')).toBeNull();
    await expect(store.get('t/1/a.txt')).rejects.toMatchObject({ status: 404, code: 'blob_not_found' });
    await store.delete('t/1/a.txt'); // idempotent
  });

  it('serves ranges and refuses unsatisfiable ones', async () => {
    await store.put('t/1/r.bin', Buffer.from('0123456789'));
    const mid = await store.get('t/1/r.bin', { start: 2, end: 5 });
    expect(mid.range).toEqual({ start: 2, end: 5 });
    expect(mid.size).toBe(10);
    expect(await text(mid.body)).toBe('2345');
    const tail = await store.get('t/1/r.bin', { start: 7 });
    expect(tail.range).toEqual({ start: 7, end: 9 });
    expect(await text(tail.body)).toBe('789');
    await expect(store.get('t/1/r.bin', { start: 10 })).rejects.toMatchObject({
      status: 416,
      code: 'range_not_satisfiable',
      details: { size: 10 },
    });
  });

  it('streams a small body as one object', async () => {
    const body = pattern(300_000);
    const stat = await store.put('t/1/small.wav', streamOf(body), { contentType: 'audio/wav', expectedSize: body.length });
    expect(stat.size).toBe(body.length);
    expect(sha(Buffer.concat(await (await store.get('t/1/small.wav')).body.toArray()))).toBe(sha(body));
  });

  it('streams a body larger than a part as a multipart upload', async () => {
    const body = pattern(11 * MIB + 123); // three parts: 5 + 5 + 1 MiB
    const stat = await store.put('t/1/big.wav', streamOf(body), { contentType: 'audio/wav', maxBytes: 20 * MIB });
    expect(stat.size).toBe(body.length);
    expect(await store.stat('t/1/big.wav')).toMatchObject({ size: body.length, contentType: 'audio/wav' });
    expect(sha(Buffer.concat(await (await store.get('t/1/big.wav')).body.toArray()))).toBe(sha(body));
  });

  it('stores nothing when a stream exceeds maxBytes, in one part or many', async () => {
    await expect(store.put('t/1/over-small', streamOf(pattern(2000)), { maxBytes: 1000 })).rejects.toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
    expect(await store.stat('t/1/over-small')).toBeNull();

    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled += 1;
        this.push(Buffer.alloc(MIB, 1));
      },
    });
    await expect(store.put('t/1/over-big', endless, { maxBytes: 7 * MIB })).rejects.toMatchObject({ status: 413 });
    expect(pulled).toBeLessThan(12); // stopped at the limit
    expect(await store.stat('t/1/over-big')).toBeNull();
  });

  it('stores nothing when a stream is shorter than expected', async () => {
    await expect(store.put('t/1/short', streamOf(pattern(10)), { expectedSize: 11 })).rejects.toMatchObject({
      status: 400,
      code: 'size_mismatch',
    });
    expect(await store.stat('t/1/short')).toBeNull();
    await expect(store.put('t/1/short', Buffer.alloc(5), { expectedSize: 6 })).rejects.toMatchObject({ code: 'size_mismatch' });
    await expect(store.put('t/1/short', Buffer.alloc(5), { maxBytes: 4 })).rejects.toMatchObject({ status: 413 });
    expect(await store.stat('t/1/short')).toBeNull();
  });

  it('deletes every object under a prefix, across list pages, and nothing else', async () => {
    const inside = ['t/2/tracks/a/a_128.mp3', 't/2/tracks/a/sources/v/m.wav', 't/2/tracks/a/stems/s/d.wav', 't/2/tracks/a/x', 't/2/tracks/a/y'];
    const outside = ['t/2/tracks/ab/keep.mp3', 't/2/tracks/b/keep.mp3'];
    for (const key of [...inside, ...outside]) await store.put(key, Buffer.from(key));
    await store.deletePrefix('t/2/tracks/a/');
    for (const key of inside) expect(await store.stat(key), key).toBeNull();
    for (const key of outside) expect(await store.stat(key), key).not.toBeNull();
    await store.deletePrefix('t/2/tracks/none/'); // nothing to do
    await expect(store.deletePrefix('')).rejects.toMatchObject({ code: 'invalid_prefix' });
  });

  it('materializes to a temp file and cleans it up', async () => {
    const body = pattern(100_000);
    await store.put('t/1/sources/v/Master.flac', body);
    const m = await store.materialize('t/1/sources/v/Master.flac');
    expect(basename(m.path)).toBe('Master.flac');
    expect(m.path.startsWith(tmp)).toBe(true);
    expect(sha(await readFile(m.path))).toBe(sha(body));
    await m.cleanup();
    expect(existsSync(m.path)).toBe(false);
    await expect(store.materialize('t/1/none.flac')).rejects.toMatchObject({ status: 404 });
    expect(await readdir(tmp)).toEqual([]);
  });

  it('rejects invalid keys before calling S3', async () => {
    await expect(store.put('../x', Buffer.from('x'))).rejects.toMatchObject({ status: 400, code: 'invalid_key' });
    await expect(store.stat('a//b')).rejects.toMatchObject({ code: 'invalid_key' });
    await expect(store.signedGetUrl('/a', { expiresInSec: 60 })).rejects.toMatchObject({ code: 'invalid_key' });
  });

  it('checks readiness', async () => {
    await store.check();
    const missing = new S3BlobStore({
      bucket: 'no-such-bucket',
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    await expect(missing.check()).rejects.toMatchObject({ status: 503, code: 'storage_unavailable' });
    missing.client.destroy();
  });
});

describe('presigned URLs against s3rver', () => {
  it('accepts a PUT with the signed headers', async () => {
    const body = pattern(4096);
    const signed = await store.signedPutUrl('t/3/up.wav', { expiresInSec: 300, contentType: 'audio/wav', byteSize: body.length });
    expect(signed.method).toBe('PUT');
    expect(signed.headers).toEqual({ 'Content-Type': 'audio/wav', 'Content-Length': '4096' });
    expect(new URL(signed.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    const res = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body });
    expect(res.status).toBe(200);
    expect(await store.stat('t/3/up.wav')).toMatchObject({ size: 4096, contentType: 'audio/wav' });
  });

  it('refuses a PUT of another content type or size', async () => {
    const signed = await store.signedPutUrl('t/3/strict.wav', { expiresInSec: 300, contentType: 'audio/wav', byteSize: 100 });
    const wrongType = await fetch(signed.url, { method: 'PUT', headers: { 'Content-Type': 'text/html' }, body: pattern(100) });
    expect(wrongType.status).toBe(403);
    expect(await wrongType.text()).toContain('SignatureDoesNotMatch');
    const wrongSize = await fetch(signed.url, { method: 'PUT', headers: { 'Content-Type': 'audio/wav' }, body: pattern(101) });
    expect(wrongSize.status).toBe(403);
    const noType = await fetch(signed.url, { method: 'PUT', body: pattern(100) });
    expect(noType.status).toBe(403);
    expect(await store.stat('t/3/strict.wav')).toBeNull();
  });

  it('signs only the content type when the size is a maximum', async () => {
    const signed = await store.signedPutUrl('t/3/any.wav', { expiresInSec: 300, contentType: 'audio/wav', byteSize: 1000, exactSize: false });
    expect(signed.headers).toEqual({ 'Content-Type': 'audio/wav' });
    expect(new URL(signed.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-type;host');
    expect((await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: pattern(321) })).status).toBe(200);
    expect(await store.stat('t/3/any.wav')).toMatchObject({ size: 321, contentType: 'audio/wav' });
    const wrongType = await fetch(signed.url, { method: 'PUT', headers: { 'Content-Type': 'text/html' }, body: pattern(10) });
    expect(wrongType.status).toBe(403);
  });

  it('serves a GET, with a download name and content type when asked', async () => {
    await store.put('t/3/song.mp3', Buffer.from('mp3 bytes'), { contentType: 'audio/mpeg' });
    const plain = await fetch(await store.signedGetUrl('t/3/song.mp3', { expiresInSec: 60 }));
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('audio/mpeg');
    expect(plain.headers.get('content-disposition')).toBeNull();
    expect(await plain.text()).toBe('mp3 bytes');

    const named = await fetch(
      await store.signedGetUrl('t/3/song.mp3', { expiresInSec: 60, downloadName: 'My Song.mp3', contentType: 'application/octet-stream' }),
    );
    expect(named.status).toBe(200);
    expect(named.headers.get('content-disposition')).toBe('attachment; filename="My Song.mp3"');
    expect(named.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('refuses a tampered GET URL', async () => {
    const url = new URL(await store.signedGetUrl('t/3/song.mp3', { expiresInSec: 60 }));
    url.pathname = url.pathname.replace('song.mp3', 'up.wav');
    expect((await fetch(url)).status).toBe(403);
  });

  it('enforces expiry', async () => {
    await store.put('t/3/brief.txt', Buffer.from('soon gone'));
    const get = await store.signedGetUrl('t/3/brief.txt', { expiresInSec: 1 });
    const put = await store.signedPutUrl('t/3/brief-up.txt', { expiresInSec: 1, contentType: 'text/plain', byteSize: 2 });
    expect(put.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect((await fetch(get)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    const late = await fetch(get);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('expired');
    expect((await fetch(put.url, { method: 'PUT', headers: put.headers, body: 'ok' })).status).toBe(403);
    expect(await store.stat('t/3/brief-up.txt')).toBeNull();
  });
});
