import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AppError } from '../errors.js';
import type {
  BlobStat,
  BlobStore,
  ByteRange,
  GetResult,
  MaterializedBlob,
  PutOptions,
  SignedGetOptions,
  SignedPut,
  SignedPutOptions,
} from './blob-store.js';
import { effectiveLimit } from './byte-counter.js';
import {
  assertValidByteSize,
  assertValidContentType,
  assertValidKey,
  assertValidPrefix,
  assertValidTtl,
  blobNotFound,
  payloadTooLarge,
  rangeNotSatisfiable,
  sizeMismatch,
} from './key-rules.js';
import { attachmentDisposition } from './http-range.js';
import { isS3Status, uploadStream } from './s3-upload.js';

export interface S3BlobStoreOptions {
  bucket: string;
  endpoint?: string;
  /** Left undefined, the SDK resolves it (AWS_REGION, profile, ...). */
  region?: string;
  forcePathStyle?: boolean;
  /** Left undefined, the SDK default credential chain applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Multipart part size for streamed uploads; S3 requires at least 5 MiB. Default 8 MiB. */
  partSize?: number;
  /** Where materialize() downloads to. Default: the OS temp folder. */
  tmpDir?: string;
  /** Keys per ListObjectsV2 page in deletePrefix (1-1000, default 1000). */
  listPageSize?: number;
  /** An existing client (its bucket settings must match). */
  client?: S3Client;
}

const MIB = 1024 * 1024;

/**
 * Path-style bucket operations (list, batch delete, head bucket) go to "/<bucket>/"; several
 * S3-compatible servers (s3rver among them) canonicalise that as "/<bucket>" when checking
 * the signature and answer SignatureDoesNotMatch. S3 itself accepts both forms, so requests
 * are sent (and signed) without the trailing slash.
 */
function trimBucketSlash(client: S3Client, bucket: string): void {
  const withSlash = `/${bucket}/`;
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { path?: string };
      if (request.path === withSlash) request.path = withSlash.slice(0, -1);
      return next(args);
    },
    { step: 'build', name: 'trimBucketSlash', override: true },
  );
}

export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly client: S3Client;
  private readonly partSize: number;
  private readonly tmpDir: string;
  private readonly listPageSize: number;

  constructor(opts: S3BlobStoreOptions) {
    this.bucket = opts.bucket;
    this.partSize = opts.partSize ?? 8 * MIB;
    if (this.partSize < 5 * MIB) throw new Error('S3 multipart part size must be at least 5 MiB');
    this.tmpDir = opts.tmpDir ?? tmpdir();
    this.listPageSize = Math.min(1000, Math.max(1, opts.listPageSize ?? 1000));
    const config: S3ClientConfig = {
      endpoint: opts.endpoint,
      region: opts.region,
      forcePathStyle: opts.forcePathStyle,
      credentials: opts.credentials,
      // Extra checksum headers/trailers are optional for S3 and unsupported by several
      // S3-compatible servers; keeping them to the operations that require them stays portable.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    this.client = opts.client ?? new S3Client(config);
    if (!opts.client && opts.forcePathStyle) trimBucketSlash(this.client, opts.bucket);
  }

  async put(key: string, body: Readable | Buffer, opts: PutOptions = {}): Promise<BlobStat> {
    assertValidKey(key);
    if (opts.contentType !== undefined) assertValidContentType(opts.contentType);
    const limit = effectiveLimit(opts);
    if (Buffer.isBuffer(body)) {
      if (body.length > limit) throw payloadTooLarge(limit);
      if (opts.expectedSize !== undefined && body.length !== opts.expectedSize) {
        throw sizeMismatch(opts.expectedSize, body.length);
      }
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: opts.contentType, ContentLength: body.length }),
      );
      return { size: body.length, contentType: opts.contentType, lastModified: new Date() };
    }
    const size = await uploadStream(this.client, {
      bucket: this.bucket,
      key,
      body,
      contentType: opts.contentType,
      limit,
      expectedSize: opts.expectedSize,
      partSize: this.partSize,
    });
    return { size, contentType: opts.contentType, lastModified: new Date() };
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    assertValidKey(key);
    if (range && (!Number.isSafeInteger(range.start) || range.start < 0)) throw rangeNotSatisfiable(-1);
    try {
      const res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined,
        }),
      );
      const body = res.Body as Readable;
      const total = /\/(\d+)$/.exec(res.ContentRange ?? '');
      const got = /^bytes (\d+)-(\d+)\//.exec(res.ContentRange ?? '');
      return {
        body,
        size: total ? Number(total[1]) : Number(res.ContentLength ?? 0),
        contentType: res.ContentType,
        lastModified: res.LastModified,
        range: range && got ? { start: Number(got[1]), end: Number(got[2]) } : undefined,
      };
    } catch (err) {
      if (isS3Status(err, 404)) throw blobNotFound(key);
      if (isS3Status(err, 416)) {
        const stat = await this.stat(key);
        throw rangeNotSatisfiable(stat?.size ?? -1);
      }
      throw err;
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    assertValidKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: Number(res.ContentLength ?? 0), contentType: res.ContentType, lastModified: res.LastModified, ...(res.ETag ? { etag: res.ETag } : {}) };
    } catch (err) {
      if (isS3Status(err, 404)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      if (!isS3Status(err, 404)) throw err;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    assertValidPrefix(prefix);
    // Deleting while paging is safe: each page is requested after the previous one's keys
    // are gone, and the continuation token still points past them.
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: this.listPageSize }),
      );
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length > 0) {
        const res = await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        const failed = (res.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
        if (failed.length > 0) {
          throw new AppError(502, 'storage_delete_failed', `Could not delete ${failed.length} object(s)`, {
            details: { first: failed[0].Key, code: failed[0].Code },
          });
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async signedGetUrl(key: string, opts: SignedGetOptions): Promise<string> {
    assertValidKey(key);
    assertValidTtl(opts.expiresInSec);
    if (opts.contentType !== undefined) assertValidContentType(opts.contentType);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: opts.downloadName ? attachmentDisposition(opts.downloadName) : undefined,
      ResponseContentType: opts.contentType,
    });
    return getSignedUrl(this.client, command, { expiresIn: opts.expiresInSec });
  }

  async signedPutUrl(key: string, opts: SignedPutOptions): Promise<SignedPut> {
    assertValidKey(key);
    assertValidTtl(opts.expiresInSec);
    assertValidContentType(opts.contentType);
    assertValidByteSize(opts.byteSize);
    const signedAt = new Date();
    const exact = opts.exactSize !== false;
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: opts.contentType,
      ...(exact ? { ContentLength: opts.byteSize } : {}),
    });
    // The presigner leaves Content-Type unsigned by default; signing both headers makes S3
    // refuse a body of another type or size. A maximum cannot be signed: it is checked on finalize.
    const url = await getSignedUrl(this.client, command, {
      expiresIn: opts.expiresInSec,
      signingDate: signedAt,
      signableHeaders: new Set(exact ? ['content-type', 'content-length'] : ['content-type']),
    });
    return {
      url,
      method: 'PUT',
      headers: exact ? { 'Content-Type': opts.contentType, 'Content-Length': String(opts.byteSize) } : { 'Content-Type': opts.contentType },
      expiresAt: new Date(signedAt.getTime() + opts.expiresInSec * 1000),
    };
  }

  async materialize(key: string): Promise<MaterializedBlob> {
    assertValidKey(key);
    const dir = await mkdtemp(join(this.tmpDir, 'ledgerline-blob-'));
    const cleanup = () => rm(dir, { recursive: true, force: true });
    try {
      const { body } = await this.get(key);
      // Keeping the key's file name preserves the extension tools use to guess the format.
      const path = join(dir, basename(key));
      await pipeline(body, createWriteStream(path, { flags: 'wx' }));
      return { path, cleanup };
    } catch (err) {
      await cleanup();
      throw err;
    }
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      throw new AppError(503, 'storage_unavailable', `S3 bucket "${this.bucket}" is not reachable`, { cause: err });
    }
  }
}
