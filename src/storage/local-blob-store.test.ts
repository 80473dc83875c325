import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore } from './local-blob-store.js';

let dir: string;
let store: LocalBlobStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerline-local-store-'));
  store = new LocalBlobStore({ root: dir, publicUrl: 'http://localhost:3000', secret: 'test-secret' });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = async (r: Readable) => Buffer.concat(await r.toArray()).toString();
const tmpFiles = async () => (existsSync(store.tmpDir) ? readdir(store.tmpDir) : []);

/** A stream of `count` chunks of `size` bytes, produced lazily. */
function chunks(count: number, size: number, fill = 0x61): Readable {
  let sent = 0;
  return new Readable({
    read() {
      this.push(sent++ < count ? Buffer.alloc(size, fill) : null);
    },
  });
}

describe('LocalBlobStore', () => {
  it('puts, stats, gets and deletes', async () => {
    const stat = await store.put('a/b/c.txt', Buffer.from('hello world'), { contentType: 'text/plain' });
    expect(stat).toMatchObject({ size: 11, contentType: 'text/plain' });
    expect(stat.lastModified).toBeInstanceOf(Date);
    expect(await readFile(join(dir, 'objects/a/b/c.txt'), 'utf8')).toBe('hello world');
    expect(await store.stat('a/b/c.txt')).toMatchObject({ size: 11, contentType: 'text/plain' });

    const got = await store.get('a/b/c.txt');
    expect(got).toMatchObject({ size: 11, contentType: 'text/plain' });
    expect(got.range).toBeUndefined();
    expect(await read(got.body)).toBe('hello world');

    await store.delete('a/b/c.txt');
    expect(await store.stat('a/b/c.txt')).toBeNull();
    await expect(store.get('a/b/c.txt')).rejects.toMatchObject({ status: 404, code: 'blob_not_found' });
    await store.delete('a/b/c.txt'); // idempotent
    expect(await readdir(join(dir, 'objects'))).toEqual([]); // emptied folders are pruned
  });

  it('streams a body and overwrites, replacing the content type', async () => {
    await store.put('k', chunks(4, 1000), { contentType: 'audio/wav' });
    expect(await store.stat('k')).toMatchObject({ size: 4000, contentType: 'audio/wav' });
    await store.put('k', Buffer.from('x'));
    expect(await store.stat('k')).toEqual(expect.objectContaining({ size: 1, contentType: undefined }));
  });

  it('works the same with durability off', async () => {
    const scratch = new LocalBlobStore({ root: join(dir, 'scratch'), publicUrl: 'http://localhost', secret: 's', durable: false });
    await scratch.put('k/v', chunks(3, 1000), { contentType: 'audio/wav', expectedSize: 3000 });
    expect(await scratch.stat('k/v')).toMatchObject({ size: 3000, contentType: 'audio/wav' });
    await expect(scratch.put('k/w', chunks(3, 1000), { maxBytes: 2000 })).rejects.toMatchObject({ status: 413 });
    expect(await scratch.stat('k/w')).toBeNull();
  });

  it('serves byte ranges', async () => {
    await store.put('r', Buffer.from('0123456789'));
    const mid = await store.get('r', { start: 2, end: 5 });
    expect(mid.range).toEqual({ start: 2, end: 5 });
    expect(mid.size).toBe(10);
    expect(await read(mid.body)).toBe('2345');
    const tail = await store.get('r', { start: 7 });
    expect(tail.range).toEqual({ start: 7, end: 9 });
    expect(await read(tail.body)).toBe('789');
    expect(await read((await store.get('r', { start: 8, end: 500 })).body)).toBe('89');
    await expect(store.get('r', { start: 10 })).rejects.toMatchObject({ status: 416, code: 'range_not_satisfiable' });
    await expect(store.get('r', { start: 5, end: 4 })).rejects.toMatchObject({ status: 416 });
  });

  it('rejects an oversize stream while streaming and stores nothing', async () => {
    let produced = 0;
    const body = new Readable({
      read() {
        produced += 1;
        this.push(produced <= 1000 ? Buffer.alloc(64 * 1024) : null);
      },
    });
    await expect(store.put('big', body, { maxBytes: 1024 * 1024 })).rejects.toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
    expect(produced).toBeLessThan(100); // stopped early, did not swallow 64 MiB
    expect(await store.stat('big')).toBeNull();
    expect(await tmpFiles()).toEqual([]);
  });

  it('rejects an oversize buffer', async () => {
    await expect(store.put('big', Buffer.alloc(11), { maxBytes: 10 })).rejects.toMatchObject({ status: 413 });
    expect(await store.stat('big')).toBeNull();
  });

  it('accepts a body of exactly maxBytes', async () => {
    expect((await store.put('edge', chunks(2, 5), { maxBytes: 10 })).size).toBe(10);
  });

  it('enforces an expected size in both directions and keeps the previous object', async () => {
    await store.put('v', Buffer.from('old'), { contentType: 'text/plain' });
    await expect(store.put('v', chunks(1, 5), { expectedSize: 6 })).rejects.toMatchObject({ status: 400, code: 'size_mismatch' });
    await expect(store.put('v', chunks(1, 7), { expectedSize: 6 })).rejects.toMatchObject({ status: 413 });
    expect(await read((await store.get('v')).body)).toBe('old');
    expect((await store.stat('v'))?.contentType).toBe('text/plain');
    expect(await tmpFiles()).toEqual([]);
  });

  it('leaves nothing behind when the source stream fails', async () => {
    let n = 0;
    const body = new Readable({
      read() {
        n += 1;
        if (n < 3) this.push(Buffer.alloc(1000));
        else this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.put('broken', body)).rejects.toThrow('connection reset');
    expect(await store.stat('broken')).toBeNull();
    expect(await tmpFiles()).toEqual([]);
  });

  it.each([
    '',
    '/abs',
    'a//b',
    'a/../b',
    '..',
    'a/.',
    'a/b/',
    'a b',
    'a\\b',
    'é',
    'a\u0000b',
    'x'.repeat(1025),
  ])('rejects invalid key %j', async (key) => {
    await expect(store.put(key, Buffer.from('x'))).rejects.toMatchObject({ status: 400, code: 'invalid_key' });
    await expect(store.stat(key)).rejects.toMatchObject({ code: 'invalid_key' });
    await expect(store.get(key)).rejects.toMatchObject({ code: 'invalid_key' });
    await expect(store.delete(key)).rejects.toMatchObject({ code: 'invalid_key' });
  });

  it('reports a key that clashes with a folder as a conflict', async () => {
    await store.put('a/b', Buffer.from('1'));
    await expect(store.put('a/b/c', Buffer.from('2'), { contentType: 'text/plain' })).rejects.toMatchObject({
      status: 409,
      code: 'key_conflict',
    });
    expect(existsSync(join(dir, 'meta/a/b'))).toBe(false); // no metadata for an object that was refused
    await expect(store.put('a', Buffer.from('3'))).rejects.toMatchObject({ status: 409, code: 'key_conflict' });
    expect(await store.stat('a')).toBeNull(); // a folder is not an object
    await store.delete('a'); // and deleting it is a no-op
    expect(await store.stat('a/b')).toMatchObject({ size: 1 });
    expect(await tmpFiles()).toEqual([]);
  });

  it('deletes by prefix with S3 semantics', async () => {
    const keys = ['t/1/tracks/a/x.mp3', 't/1/tracks/a/s/y.wav', 't/1/tracks/ab/z.mp3', 't/1/tracks/b/w.mp3', 't/1/tracks/a'];
    // 't/1/tracks/a' as an object would clash with the folder; keep it out.
    for (const key of keys.slice(0, 4)) await store.put(key, Buffer.from(key), { contentType: 'text/plain' });

    await store.deletePrefix('t/1/tracks/a/');
    expect(await store.stat('t/1/tracks/a/x.mp3')).toBeNull();
    expect(await store.stat('t/1/tracks/a/s/y.wav')).toBeNull();
    expect(await store.stat('t/1/tracks/ab/z.mp3')).not.toBeNull();
    expect(existsSync(join(dir, 'objects/t/1/tracks/a'))).toBe(false);
    expect(existsSync(join(dir, 'meta/t/1/tracks/a'))).toBe(false);

    await store.deletePrefix('t/1/tracks/a'); // no slash: also matches "ab"
    expect(await store.stat('t/1/tracks/ab/z.mp3')).toBeNull();
    expect(await store.stat('t/1/tracks/b/w.mp3')).toMatchObject({ contentType: 'text/plain' });

    await store.deletePrefix('nothing/here/');
    await expect(store.deletePrefix('')).rejects.toMatchObject({ code: 'invalid_prefix' });
    await expect(store.deletePrefix('../')).rejects.toMatchObject({ code: 'invalid_prefix' });
    await expect(store.deletePrefix('/')).rejects.toMatchObject({ code: 'invalid_prefix' });
  });

  it('materializes to the object file itself', async () => {
    await store.put('m/song.flac', Buffer.from('flac!'));
    const m = await store.materialize('m/song.flac');
    expect(m.path).toBe(join(dir, 'objects/m/song.flac'));
    expect(await readFile(m.path, 'utf8')).toBe('flac!');
    await m.cleanup();
    expect(existsSync(m.path)).toBe(true); // the object is not a temp copy
    await expect(store.materialize('m/none.flac')).rejects.toMatchObject({ status: 404 });
  });

  it('signs PUT URLs with the headers the uploader must send', async () => {
    const put = await store.signedPutUrl('u/a.wav', { expiresInSec: 60, contentType: 'audio/wav', byteSize: 42 });
    expect(put.method).toBe('PUT');
    expect(put.headers).toEqual({ 'Content-Type': 'audio/wav', 'Content-Length': '42' });
    expect(put.url.startsWith('http://localhost:3000/storage/u/a.wav?m=PUT&')).toBe(true);
    const q = Object.fromEntries(new URL(put.url).searchParams);
    expect(store.signer.verify('PUT', 'u/a.wav', q).byteSize).toBe(42);
    const get = await store.signedGetUrl('u/a.wav', { expiresInSec: 60 });
    expect(store.signer.verify('GET', 'u/a.wav', Object.fromEntries(new URL(get).searchParams)).key).toBe('u/a.wav');
  });

  it('checks readiness', async () => {
    await store.check();
    expect(await tmpFiles()).toEqual([]);
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const broken = new LocalBlobStore({ root: file, publicUrl: 'http://localhost', secret: 's' });
    await expect(broken.check()).rejects.toMatchObject({ status: 503, code: 'storage_unavailable' });
  });

  it('ignores a corrupt metadata file', async () => {
    await store.put('c', Buffer.from('x'), { contentType: 'text/plain' });
    await writeFile(join(dir, 'meta/c.json'), '{nope');
    expect(await store.stat('c')).toEqual(expect.objectContaining({ size: 1, contentType: undefined }));
  });
});
