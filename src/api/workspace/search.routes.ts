import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Container } from '../../container.js';
import { actorOf } from '../surface.js';
import { searchBody } from './search.schemas.js';
import { presentTrack } from './track.presenter.js';

export function registerSearchRoutes(root: FastifyInstance, c: Container): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { search } = c.modules.workspace;

  app.post(
    '/v1/search/tracks',
    { schema: { tags: ['workspace'], summary: 'Search your tracks: keyword, similar, hybrid or auto (needs search.private)', body: searchBody } },
    async (request) => {
      const { filters, ...rest } = request.body;
      // Top-level filters win over grouped ones.
      const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as typeof rest;
      const result = await search.search(actorOf(request), { ...filters, ...defined });
      return {
        mode: result.mode,
        records: result.records.map((h) => ({
          ...presentTrack(h.view),
          score: h.score,
          ...(h.relevance !== undefined ? { relevance: h.relevance } : {}),
          ...(h.similarity !== undefined ? { similarity: h.similarity } : {}),
        })),
        ...(result.facets ? { facets: result.facets } : {}),
      };
    },
  );
}
