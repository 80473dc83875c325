import type { Readable } from 'node:stream';

export interface BlobStat {
  size: number;
  contentType?: string;
  lastModified?: Date;
  /** The store's version tag of the object, where it has one (S3). */
  etag?: string;
}

export interface ByteRange {
  start: number;
  /** Inclusive; omitted means "to the end of the object". */
  end?: number;
}

export interface PutOptions {
  contentType?: string;
  /** The write fails with 413 payload_too_large (and stores nothing) past this many bytes. */
  maxBytes?: number;
  /**
   * The exact size the body must have. A shorter body fails with 400 size_mismatch, a longer
   * one with 413 payload_too_large; either way nothing is stored.
   */
  expectedSize?: number;
}

export interface GetResult {
  body: Readable;
  /** Size of the whole object, not of the returned range. */
  size: number;
  contentType?: string;
  lastModified?: Date;
  /** Inclusive byte positions actually returned when a range was asked for. */
  range?: { start: number; end: number };
}

export interface SignedGetOptions {
  expiresInSec: number;
  /** Makes the response an attachment with this file name. */
  downloadName?: string;
  /** Overrides the stored content type in the response. */
  contentType?: string;
}

export interface SignedPutOptions {
  expiresInSec: number;
  contentType: string;
  byteSize: number;
  /**
   * false: `byteSize` is only a maximum and the uploader sends its own Content-Length (clients
   * that do not know the size when they ask for the URL). Default true: exactly `byteSize`.
   */
  exactSize?: boolean;
}

export interface SignedPut {
  url: string;
  method: 'PUT';
  /** Headers the uploader must send verbatim (the signature covers them). */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface MaterializedBlob {
  path: string;
  cleanup(): Promise<void>;
}

export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Streams the body; atomic: a failed or oversize write leaves no (partial) object behind. */
  put(key: string, body: Readable | Buffer, opts?: PutOptions): Promise<BlobStat>;
  /** Throws 404 blob_not_found when absent, 416 range_not_satisfiable for a range past the end. */
  get(key: string, range?: ByteRange): Promise<GetResult>;
  stat(key: string): Promise<BlobStat | null>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /** Removes every object whose key starts with `prefix` (e.g. all of a track's files). */
  deletePrefix(prefix: string): Promise<void>;
  signedGetUrl(key: string, opts: SignedGetOptions): Promise<string>;
  signedPutUrl(key: string, opts: SignedPutOptions): Promise<SignedPut>;
  /** A local file path for tools that need one (ffmpeg); S3 objects are downloaded to a temp file. */
  materialize(key: string): Promise<MaterializedBlob>;
  /** Readiness probe; throws when the store cannot be used. */
  check(): Promise<void>;
}

/** Signed URLs may live at most a week, the S3 presigning limit, so both stores agree. */
export const MAX_SIGNED_URL_TTL_SEC = 7 * 24 * 3600;
