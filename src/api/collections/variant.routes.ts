import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CollectionsModule } from '../../services/collections/index.js';
import { CODECS } from '../../services/collections/variant-catalog.js';
import { actorOf } from '../surface.js';
import { ok } from './envelope.js';
import { page } from './schemas.js';

const tags = ['collections'];
const percent = z.number().min(0).max(100);
const seconds = z.number().min(0).max(86_400);

const variantBody = z
  .object({
    variant_type_id: z.enum(['transcode', 'preview']),
    index: z.string().min(2).max(64),
    codec: z.enum(CODECS as ['aac', 'mp3', 'ogg', 'opus']).default('aac'),
    bitrate: z.number().int().min(12).max(320).default(128),
    is_stereo: z.boolean().default(true),
    is_strip_tags: z.boolean().default(true),
    is_strip_cover: z.boolean().default(true),
    preview_type: z.enum(['seconds', 'percent']).default('seconds'),
    preview_seconds: seconds.positive().default(60),
    preview_min_percent: percent.default(0),
    preview_max_percent: percent.default(50),
    preview_percent: percent.positive().default(25),
    preview_min_seconds: seconds.default(0),
    preview_max_seconds: seconds.default(90),
    preview_start_percent: percent.default(25),
  })
  .refine((b) => b.preview_min_percent <= b.preview_max_percent, { path: ['preview_min_percent'], message: 'must not exceed preview_max_percent' })
  .refine((b) => b.preview_min_seconds <= b.preview_max_seconds, { path: ['preview_min_seconds'], message: 'must not exceed preview_max_seconds' });

export function registerVariantRoutes(root: FastifyInstance, m: CollectionsModule): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/variant', { schema: { tags, summary: 'List variants', querystring: page } }, async (request) => {
    const { count, variants } = await m.variants.list(actorOf(request), request.query);
    return ok(request, { count, variants });
  });

  app.get('/variant/:variant_id', { schema: { tags, summary: 'Get variant', params: z.object({ variant_id: z.uuid() }) } }, async (request) => {
    const variant = await m.variants.get(actorOf(request), request.params.variant_id);
    return ok(request, { variant_id: variant.id, variant });
  });

  app.post(
    '/track/:track_id/variant',
    { schema: { tags, summary: 'Add a track-specific variant', params: z.object({ track_id: z.uuid() }), body: variantBody } },
    async (request) => {
      const b = request.body;
      const { variant, jobId } = await m.variants.create(actorOf(request), request.params.track_id, {
        type: b.variant_type_id,
        index: b.index,
        codec: b.codec,
        bitrate: b.bitrate,
        isStereo: b.is_stereo,
        isStripTags: b.is_strip_tags,
        isStripCover: b.is_strip_cover,
        preview: {
          preview_type: b.preview_type,
          preview_seconds: b.preview_seconds,
          preview_min_percent: b.preview_min_percent,
          preview_max_percent: b.preview_max_percent,
          preview_percent: b.preview_percent,
          preview_min_seconds: b.preview_min_seconds,
          preview_max_seconds: b.preview_max_seconds,
          preview_start_percent: b.preview_start_percent,
        },
      });
      return ok(request, { track_id: request.params.track_id, variant_id: variant.id, job_id: jobId, variant });
    },
  );
}
