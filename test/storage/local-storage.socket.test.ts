import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStat } from '../../src/storage/blob-store.js';
import { LocalBlobStore } from '../../src/storage/local-blob-store.js';
import { registerLocalStorageRoutes } from '../../src/storage/local-storage.routes.js';

/** The storage routes over real TCP connections, where clients can vanish mid-body. */
const PUBLIC = 'http://ledgerline.test';

let dir: string;
let store: LocalBlobStore;
let app: FastifyInstance;
let base: string;
let written: Array<{ key: string; stat: BlobStat }>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerline-socket-'));
  written = [];
  store = new LocalBlobStore({ root: dir, publicUrl: PUBLIC, secret: 'socket-secret' });
  // Keep-alive connections must not hold app.close() for the idle timeout.
  app = Fastify({ forceCloseConnections: true });
  await registerLocalStorageRoutes(app, {
    store,
    onObjectWritten: async (key, stat) => {
      written.push({ key, stat });
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

const local = (url: string) => url.slice(PUBLIC.length);
const tmpFiles = async () => (existsSync(store.tmpDir) ? readdir(store.tmpDir) : []);
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) % 256));

describe('over a real socket', () => {
  it('refuses literal dot segments sent over a raw socket (no client-side normalisation)', async () => {
    await store.put('t/1/song.mp3', Buffer.from('x'));
    const url = local(await store.signedGetUrl('t/1/song.mp3', { expiresInSec: 60 }));
    const query = url.slice(url.indexOf('?'));
    const raw = await rawHttp(`GET /storage/t/1/../../../../etc/passwd${query} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('invalid_key');
  });

  it('keeps nothing, not even a temp file, when the client drops mid-upload', async () => {
    const total = 32 * 1024 * 1024;
    const big = await store.signedPutUrl('t/1/dropped.wav', { expiresInSec: 300, contentType: 'audio/wav', byteSize: total });

    const req = httpRequest(`${base}${local(big.url)}`, { method: 'PUT', headers: big.headers });
    req.on('error', () => undefined); // the abort below surfaces here
    const chunk = Buffer.alloc(256 * 1024, 1);
    for (let i = 0; i < 8; i++) req.write(chunk);

    // Wait until the server is demonstrably writing the upload, then vanish.
    await waitFor(async () => (await tmpFiles()).length > 0, 'temp file to appear');
    req.destroy();

    await waitFor(async () => (await tmpFiles()).length === 0, 'temp file to be removed');
    expect(await store.stat('t/1/dropped.wav')).toBeNull();
    expect(existsSync(join(dir, 'objects/t/1/dropped.wav'))).toBe(false);
    expect(written).toEqual([]);
  });

  it('uploads through a real socket with fetch', async () => {
    const body = bytes(200_000);
    const signed = await store.signedPutUrl('t/1/fetched.wav', { expiresInSec: 60, contentType: 'audio/wav', byteSize: body.length });
    const res = await fetch(`${base}${local(signed.url)}`, { method: 'PUT', headers: { 'Content-Type': 'audio/wav' }, body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ key: 't/1/fetched.wav', size: 200_000 });
    expect(written.map((w) => w.key)).toEqual(['t/1/fetched.wav']);
    const get = await fetch(`${base}${local(await store.signedGetUrl('t/1/fetched.wav', { expiresInSec: 60 }))}`);
    expect(Buffer.from(await get.arrayBuffer()).equals(body)).toBe(true);
  });
});

/** Sends `text` as-is: unlike fetch or http.request, nothing normalises the path first. */
function rawHttp(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
