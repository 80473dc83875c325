import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, badRequest } from '../../errors.js';
import type { CollectionsModule } from '../../services/collections/index.js';
import type { CoverTarget } from '../../services/collections/cover.service.js';
import { ok } from './envelope.js';

const tags = ['collections'];
const signedQuery = z.object({ organization_id: z.string().max(64).optional(), expires: z.string().max(16).optional(), signature: z.string().max(128).optional() });

/**
 * The targets of `track_cover_upload` / `collection_cover_upload`: a POST of the image, raw or
 * as multipart, authorised by the signed URL alone. Its own scope keeps the binary and
 * multipart parsers away from the JSON routes.
 */
export async function registerCoverUploadRoutes(root: FastifyInstance, m: CollectionsModule, limitBytes: number): Promise<void> {
  await root.register(multipart, { limits: { fileSize: limitBytes, files: 1, fields: 10, fieldSize: 1024 } });
  const raw = (_request: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => done(null, body);
  root.addContentTypeParser(/^image\/[a-z0-9.+-]+$/i, { parseAs: 'buffer', bodyLimit: limitBytes }, raw);
  root.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: limitBytes }, raw);
  const app = root.withTypeProvider<ZodTypeProvider>();

  async function imageOf(request: FastifyRequest): Promise<Buffer> {
    if (request.isMultipart()) {
      try {
        const file = await request.file();
        if (!file) throw badRequest('file_required', 'The multipart body has no file');
        return await file.toBuffer();
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError(413, 'payload_too_large', `Cover images are limited to ${limitBytes} bytes`);
        // Malformed multipart (no boundary, truncated parts) is the client's error.
        throw badRequest('invalid_multipart', 'The multipart body could not be read');
      }
    }
    if (!Buffer.isBuffer(request.body)) throw badRequest('image_required', 'Send the image as the body (image/* or application/octet-stream) or as multipart/form-data');
    return request.body;
  }

  for (const target of ['track', 'collection'] as CoverTarget[]) {
    const idName = `${target}_id` as const;
    app.post(
      `/${target}/:${idName}/cover/upload`,
      {
        config: { public: true },
        schema: { tags, summary: `Upload a ${target} cover image (signed URL)`, params: z.object({ [idName]: z.uuid() }), querystring: signedQuery },
      },
      async (request) => {
        const id = (request.params as Record<string, string>)[idName];
        const tenantId = m.covers.verify(target, id, request.query);
        await m.covers.receive(target, tenantId, id, await imageOf(request));
        return ok(request, { [idName]: id, cover_uploaded: true });
      },
    );
  }
}
