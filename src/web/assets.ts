import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/**
 * Browser bundles are built by `scripts/build-web.mjs` into `src/web/dist/` with
 * content-hashed names; `manifest.json` maps each entry to its current file so pages
 * can link it and the asset route can serve it with an immutable cache lifetime.
 */
export type WebEntryName = 'share' | 'embed-player' | 'embed';

export interface WebManifestEntry {
  file: string;
  /** Subresource-integrity value (`sha384-…`) for the `<script integrity>` attribute. */
  integrity: string;
  bytes: number;
  gzipBytes: number;
}

export interface WebManifest {
  version: 1;
  entries: Record<WebEntryName, WebManifestEntry>;
  /**
   * Stable, unhashed names for files third-party pages link directly (`embed.js`), which
   * cannot follow a changing hash. Served with a short cache lifetime.
   */
  aliases: Record<string, string>;
}

export const WEB_ASSET_PREFIX = '/assets/web/';
export const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL('./dist/', import.meta.url));

export class WebAssetsMissingError extends Error {
  constructor(dir: string) {
    super(`Browser assets are not built (no manifest in ${dir}); run "node scripts/build-web.mjs".`);
    this.name = 'WebAssetsMissingError';
  }
}

export function loadWebManifest(dir: string = DEFAULT_WEB_DIST_DIR): WebManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new WebAssetsMissingError(dir);
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as WebManifest;
  if (parsed.version !== 1 || !parsed.entries) {
    throw new Error(`Unsupported web asset manifest at ${path}; rebuild with "node scripts/build-web.mjs".`);
  }
  return parsed;
}

let cachedManifest: WebManifest | undefined;

/** The default manifest, read once; render functions use it when not given one. */
export function defaultWebManifest(): WebManifest {
  cachedManifest ??= loadWebManifest();
  return cachedManifest;
}

/** URL path a page uses to load an entry's bundle. */
export function webAssetPath(manifest: WebManifest, entry: WebEntryName): string {
  return WEB_ASSET_PREFIX + manifest.entries[entry].file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

interface ServedFile {
  body: Buffer;
  contentType: string;
  etag: string;
  cacheControl: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT_LIVED = 'public, max-age=300';

function readServedFiles(dir: string, manifest: WebManifest): Map<string, ServedFile> {
  const files = new Map<string, ServedFile>();
  const add = (name: string, file: string, cacheControl: string) => {
    const ext = file.slice(file.lastIndexOf('.'));
    const contentType = CONTENT_TYPES[ext];
    // Only plain names from the manifest are ever served, so `..` or `/` cannot reach
    // outside the dist folder even if the manifest were tampered with.
    if (!contentType || file.includes('/') || file.includes('\\') || file.startsWith('.')) return;
    const body = readFileSync(join(dir, file));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    files.set(name, { body, contentType, etag, cacheControl });
  };
  for (const entry of Object.values(manifest.entries)) add(entry.file, entry.file, IMMUTABLE);
  for (const [alias, file] of Object.entries(manifest.aliases ?? {})) add(alias, file, SHORT_LIVED);
  return files;
}

export interface WebAssetsOptions {
  /** Folder holding the built bundles and `manifest.json`; defaults to `src/web/dist`. */
  dir?: string;
}

/**
 * Serves `GET /assets/web/:file` from the built bundles. Files are read into memory once
 * (they total a few tens of KB); any name not in the manifest is a 404. When the bundles
 * are missing the server still starts, logs why, and answers 404.
 */
export function registerWebAssets(app: FastifyInstance, options: WebAssetsOptions = {}): void {
  const dir = options.dir ?? DEFAULT_WEB_DIST_DIR;
  let files = new Map<string, ServedFile>();
  try {
    files = readServedFiles(dir, loadWebManifest(dir));
  } catch (err) {
    app.log.warn({ err }, 'web assets unavailable');
  }

  app.get<{ Params: { file: string } }>(`${WEB_ASSET_PREFIX}:file`, async (request, reply) => {
    const served = files.get(request.params.file);
    if (!served) {
      return reply.code(404).type('application/json').send({ error: 'not_found' });
    }
    reply
      .header('cache-control', served.cacheControl)
      .header('etag', served.etag)
      .header('x-content-type-options', 'nosniff')
      // Third-party pages load embed.js; the bundles hold no private data.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('access-control-allow-origin', '*')
      .type(served.contentType);
    if (request.headers['if-none-match'] === served.etag) return reply.code(304).send();
    return reply.send(served.body);
  });
}
