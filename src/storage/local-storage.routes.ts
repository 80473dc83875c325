import { crashPoint } from '../crash-points.js';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../errors.js';
import type { BlobStat, PutOptions } from './blob-store.js';
import { attachmentDisposition, decideRange } from './http-range.js';
import { blobNotFound, payloadTooLarge, rangeNotSatisfiable } from './key-rules.js';
import type { LocalBlobStore } from './local-blob-store.js';

/** One PUT's hold on a signed URL (see UploadService.claimWrite); exactly one of commit or release follows. */
export interface StorageWriteClaim {
  /** The bytes are in place; false when the upload vanished meanwhile (the caller removes them). */
  commit(size: number): Promise<boolean>;
  /** Nothing was stored: the URL may be used again. */
  release(): Promise<void>;
}

export interface LocalStorageRoutesOptions {
  store: LocalBlobStore;
  /**
   * Runs once the request is known good and before a byte is stored: throws to refuse the PUT
   * (a URL already used, an upload purged). Without it any valid signature may write again.
   */
  claimWrite?: (key: string) => Promise<StorageWriteClaim>;
  /** Runs after an upload is stored and before the client gets its 200, so a failure here surfaces. */
  onObjectWritten?: (key: string, stat: BlobStat) => Promise<void>;
}

type AnyFastify = FastifyInstance<any, any, any, any, any>;

/**
 * Serves the signed URLs a LocalBlobStore hands out: GET/HEAD/PUT /storage/<key>.
 * Registered as a child plugin so its catch-all body parser (which hands the raw request
 * stream to the store instead of buffering it) stays out of every other route.
 */
export async function registerLocalStorageRoutes(app: AnyFastify, opts: LocalStorageRoutesOptions): Promise<void> {
  app.register(localStoragePlugin, opts);
}

async function localStoragePlugin(scope: AnyFastify, opts: LocalStorageRoutesOptions): Promise<void> {
  const { store } = opts;

  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request: FastifyRequest, payload: NodeJS.ReadableStream, done: (err: Error | null, body?: unknown) => void) => {
    done(null, payload);
  });

  // A rejected upload leaves its body unread; closing the connection spares draining it.
  scope.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.method === 'PUT' && !request.raw.complete) reply.header('connection', 'close');
    return payload;
  });

  scope.route({
    method: ['GET', 'HEAD'],
    url: '/storage/*',
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const key = wildcard(request);
      store.pathOf(key); // 400 invalid_key before anything else
      const grant = store.signer.verify('GET', key, request.query);
      const stat = await store.stat(key);
      if (!stat) throw blobNotFound(key);

      reply.header('accept-ranges', 'bytes');
      // Uploaded content is served from the app's origin: never let a browser run it.
      reply.header('x-content-type-options', 'nosniff');
      reply.header('content-security-policy', "default-src 'none'; sandbox");
      reply.header('content-type', grant.contentType ?? stat.contentType ?? 'application/octet-stream');
      if (grant.downloadName) reply.header('content-disposition', attachmentDisposition(grant.downloadName));
      if (stat.lastModified) reply.header('last-modified', stat.lastModified.toUTCString());

      const decision = decideRange(request.headers.range, stat.size);
      if (decision.kind === 'unsatisfiable') {
        reply.header('content-range', `bytes */${stat.size}`);
        throw rangeNotSatisfiable(stat.size);
      }
      const range = decision.kind === 'partial' ? { start: decision.start, end: decision.end } : undefined;

      if (request.method === 'HEAD') {
        setLengthHeaders(reply, stat.size, range);
        return reply.send();
      }
      const result = await store.get(key, range);
      setLengthHeaders(reply, result.size, result.range);
      return reply.send(result.body);
    },
  });

  scope.route({
    method: 'PUT',
    url: '/storage/*',
    config: { streamingBody: true },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const key = wildcard(request);
      store.pathOf(key);
      const grant = store.signer.verify('PUT', key, request.query);
      const signedType = grant.contentType as string;

      if (request.headers['content-type'] !== signedType) {
        throw badRequest('content_type_mismatch', 'Content-Type must be exactly the signed content type', {
          details: { expected: signedType },
        });
      }
      if (grant.maxSize !== undefined) {
        // A URL signed with a maximum takes any body up to it, with or without a Content-Length.
        const length = request.headers['content-length'];
        if (length !== undefined && /^\d+$/.test(length) && Number(length) > grant.maxSize) throw payloadTooLarge(grant.maxSize);
        const stat = await writeOnce(request, key, { contentType: signedType, maxBytes: grant.maxSize });
        return reply.code(200).send({ key, size: stat.size });
      }
      const signedSize = grant.byteSize as number;
      const declared = request.headers['content-length'];
      if (request.headers['transfer-encoding'] !== undefined || declared === undefined || !/^\d+$/.test(declared)) {
        throw badRequest('content_length_required', 'Upload needs a Content-Length equal to the signed size', {
          details: { expected: signedSize },
        });
      }
      if (Number(declared) > signedSize) throw payloadTooLarge(signedSize);
      if (Number(declared) !== signedSize) {
        throw badRequest('content_length_mismatch', 'Content-Length must equal the signed size', {
          details: { expected: signedSize, received: Number(declared) },
        });
      }

      const stat = await writeOnce(request, key, { contentType: signedType, expectedSize: signedSize });
      return reply.code(200).send({ key, size: stat.size });
    },
  });

  /**
   * Stores the body under the URL's claim. The store writes to a temp file and renames it, so
   * a failed or aborted body leaves nothing and gives the claim back for a retry.
   */
  async function writeOnce(request: FastifyRequest, key: string, put: PutOptions): Promise<BlobStat> {
    const claim = opts.claimWrite ? await opts.claimWrite(key) : null;
    const body = request.body instanceof Readable ? request.body : request.raw;
    let stat: BlobStat;
    try {
      stat = await store.put(key, body, put);
    } catch (err) {
      await claim?.release();
      throw err;
    }
    crashPoint('upload.put.stored');
    if (claim && !(await claim.commit(stat.size))) {
      // The upload was purged while its bytes streamed in: they must not outlive it.
      await store.delete(key);
      throw new AppError(404, 'upload_not_found', 'No upload is waiting for this URL');
    }
    if (opts.onObjectWritten) await opts.onObjectWritten(key, stat);
    return stat;
  }
}

function wildcard(request: FastifyRequest): string {
  const key = (request.params as Record<string, string | undefined>)['*'];
  if (!key) throw new AppError(400, 'invalid_key', 'Object key is empty');
  return key;
}

function setLengthHeaders(reply: FastifyReply, size: number, range: { start: number; end: number } | undefined): void {
  if (range) {
    reply.code(206);
    reply.header('content-range', `bytes ${range.start}-${range.end}/${size}`);
    reply.header('content-length', String(range.end - range.start + 1));
  } else {
    reply.header('content-length', String(size));
  }
}
