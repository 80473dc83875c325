import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebAssetsMissingError, loadWebManifest, registerWebAssets, webAssetPath, type WebManifest } from './assets.js';

let dir: string;
const manifest: WebManifest = {
  version: 1,
  entries: {
    share: { file: 'share-AAAA.js', integrity: 'sha384-x', bytes: 10, gzipBytes: 10 },
    'embed-player': { file: 'embed-player-BBBB.js', integrity: 'sha384-y', bytes: 10, gzipBytes: 10 },
    embed: { file: 'embed-CCCC.js', integrity: 'sha384-z', bytes: 10, gzipBytes: 10 },
  },
  aliases: { 'embed.js': 'embed-CCCC.js' },
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'll-web-assets-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'share-AAAA.js'), 'console.log("share")');
  writeFileSync(join(dir, 'embed-player-BBBB.js'), 'console.log("embed player")');
  writeFileSync(join(dir, 'embed-CCCC.js'), 'console.log("embed")');
  writeFileSync(join(dir, 'secret.js'), 'not listed');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function app(assetDir = dir) {
  const server = Fastify();
  registerWebAssets(server, { dir: assetDir });
  await server.ready();
  return server;
}

describe('web assets', () => {
  it('loads the manifest and maps entries to URL paths', () => {
    const loaded = loadWebManifest(dir);
    expect(webAssetPath(loaded, 'share')).toBe('/assets/web/share-AAAA.js');
    expect(() => loadWebManifest(join(dir, 'missing'))).toThrow(WebAssetsMissingError);
  });

  it('serves hashed bundles as immutable JavaScript', async () => {
    const server = await app();
    const res = await server.inject('/assets/web/share-AAAA.js');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log("share")');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const again = await server.inject({ url: '/assets/web/share-AAAA.js', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    await server.close();
  });

  it('serves embed.js under its stable name with a short cache lifetime', async () => {
    const server = await app();
    const res = await server.inject('/assets/web/embed.js');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log("embed")');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    await server.close();
  });

  it('answers 404 for unlisted files and traversal attempts', async () => {
    const server = await app();
    for (const url of [
      '/assets/web/secret.js',
      '/assets/web/manifest.json',
      '/assets/web/..%2Fmanifest.json',
      '/assets/web/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/web/../../package.json',
      '/assets/web/',
    ]) {
      const res = await server.inject(url);
      expect(res.statusCode, url).toBe(404);
    }
    await server.close();
  });

  it('still starts without built assets and answers 404', async () => {
    const server = await app(join(dir, 'missing'));
    expect((await server.inject('/assets/web/share-AAAA.js')).statusCode).toBe(404);
    await server.close();
  });
});
