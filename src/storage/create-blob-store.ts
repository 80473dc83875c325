import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.js';

export interface BlobStoreConfig {
  /** STORAGE_URL: unset (local folder under dataDir), file:///abs/path or s3://bucket?... */
  storageUrl?: string;
  dataDir: string;
  /** Public base URL of the app, used by the local store's signed URLs. */
  publicUrl: string;
  /** Secret for the local store's URL signatures. */
  secret: string;
}

export type AnyBlobStore = LocalBlobStore | S3BlobStore;

const S3_PARAMS = new Set(['endpoint', 'region', 'forcePathStyle', 'accessKeyId', 'secretAccessKey', 'sessionToken']);

function invalid(reason: string): Error {
  return new Error(`Invalid STORAGE_URL: ${reason}`);
}

/** Picks the store from the URL; `kind` on the result narrows to the concrete class. */
export function createBlobStore(config: BlobStoreConfig): AnyBlobStore {
  const raw = config.storageUrl?.trim();
  if (!raw) {
    return new LocalBlobStore({ root: join(config.dataDir, 'blobs'), publicUrl: config.publicUrl, secret: config.secret });
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('not a URL (expected file:///absolute/path or s3://bucket?...)');
  }
  switch (url.protocol) {
    case 'file:':
      return new LocalBlobStore({ root: localRoot(url), publicUrl: config.publicUrl, secret: config.secret });
    case 's3:':
      return new S3BlobStore(parseS3Url(url));
    default:
      throw invalid(`unsupported scheme "${url.protocol}" (expected file: or s3:)`);
  }
}

function localRoot(url: URL): string {
  if (url.search || url.hash) throw invalid('a file: URL takes no query or fragment');
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch {
    throw invalid('a file: URL must be file:///absolute/path (no host)');
  }
  if (path === '/' || path === '') throw invalid('refusing the filesystem root as storage folder');
  return path;
}

export function parseS3Url(url: URL): S3BlobStoreOptions {
  const bucket = url.hostname;
  // Bucket names per S3 rules (lower-case, digits, dots, hyphens); the URL parser lower-cases hosts anyway.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw invalid(`"${bucket}" is not a valid bucket name (s3://bucket?...)`);
  if (url.pathname !== '' && url.pathname !== '/') throw invalid('an s3: URL takes no path; put the bucket in the host');
  if (url.username || url.password) throw invalid('pass credentials as accessKeyId/secretAccessKey query parameters');

  const params = url.searchParams;
  for (const name of params.keys()) {
    if (!S3_PARAMS.has(name)) throw invalid(`unknown parameter "${name}" (allowed: ${[...S3_PARAMS].join(', ')})`);
    if (params.getAll(name).length > 1) throw invalid(`parameter "${name}" is repeated`);
  }
  const get = (name: string) => params.get(name) || undefined;

  const endpoint = get('endpoint');
  if (endpoint !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(endpoint);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw invalid(`endpoint "${endpoint}" must be an http(s) URL`);
    }
  }

  const fps = get('forcePathStyle');
  if (fps !== undefined && fps !== 'true' && fps !== 'false') throw invalid('forcePathStyle must be true or false');

  const accessKeyId = get('accessKeyId');
  const secretAccessKey = get('secretAccessKey');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw invalid('accessKeyId and secretAccessKey go together');
  }
  const sessionToken = get('sessionToken');
  if (sessionToken !== undefined && accessKeyId === undefined) throw invalid('sessionToken needs accessKeyId/secretAccessKey');

  return {
    bucket,
    endpoint,
    region: get('region'),
    forcePathStyle: fps === undefined ? undefined : fps === 'true',
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken } : undefined,
  };
}
