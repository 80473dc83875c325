import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../container.js';
import { actorOf } from '../surface.js';
import { success } from './envelope.js';

const tags = ['distribution'];

const share = z.object({ collaboratorId: z.string(), name: z.string(), ipi: z.string().nullable(), society: z.string().nullable(), share: z.number(), performingShare: z.number(), mechanicalShare: z.number() });
const work = z.object({
  workId: z.string(), title: z.string(), iswc: z.string().nullable(), writers: z.array(share), publishers: z.array(share),
  recording: z.object({ isrc: z.string().nullable(), releaseDate: z.string().nullable(), albumTitle: z.string().nullable(), label: z.string().nullable(), upc: z.string().nullable() }).passthrough().nullable(),
  updatedAt: z.string(),
});

/** Musical works from split sheets, and their CWR 2.1 registration file. */
export function registerWorksRoutes(app: FastifyInstance, c: Container): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { works } = c.modules.distribution;

  r.get(
    '/asset/:assetId/works',
    { schema: { params: z.object({ assetId: z.string().min(1).max(100) }), tags, summary: "The asset's musical works from its split sheet: writers, publishers, shares, ISWC", response: { 200: z.object({ success: z.literal(true), message: z.string(), data: z.array(work) }) } } },
    async (request) => success('Works retrieved successfully', await works.ofAsset(actorOf(request), request.params.assetId)),
  );

  r.get(
    '/works/cwr',
    {
      schema: {
        querystring: z.object({ since: z.string().max(40).optional().describe('Only works whose split sheet changed since (ISO-8601); those registered before are REV'), senderId: z.string().regex(/^\d{1,9}$/).optional().describe("The submitter's IPI name number for HDR") }),
        tags,
        summary: "The tenant's works as a CWR 2.1 file (HDR, GRH, NWR/REV, SPU, SPT, SWR, SWT, PWR, ALT, PER, REC, ORN, GRT, TRL; fixed width, CRLF)",
        produces: ['text/plain'],
        response: { 200: z.string() },
      },
    },
    async (request, reply) => {
      const { text, name } = await works.cwr(actorOf(request), request.query);
      return reply.type('text/plain; charset=us-ascii').header('content-disposition', `attachment; filename="${name}"`).send(text);
    },
  );
}
