import { z } from 'zod';
import { SEARCH_MODES } from '../../services/workspace/search.service.js';
import { facetFilterShape } from './track.schemas.js';

const facets = z.object(facetFilterShape);

export const searchBody = z
  .object({
    query: z.string().max(1000).optional(),
    mode: z.enum(SEARCH_MODES).default('auto'),
    similarToTrackId: z.string().min(1).max(100).optional(),
    limit: z.number().int().min(1).max(50).default(20),
    minSimilarity: z.number().min(-1).max(1).optional(),
    includeFacets: z.boolean().default(false),
    /** The same facet filters may also come grouped. */
    filters: facets.optional(),
    ...facetFilterShape,
  })
  .superRefine((v, ctx) => {
    const minBpm = v.minBpm ?? v.filters?.minBpm;
    const maxBpm = v.maxBpm ?? v.filters?.maxBpm;
    if (minBpm !== undefined && maxBpm !== undefined && minBpm > maxBpm) ctx.addIssue({ code: 'custom', path: ['minBpm'], message: 'minBpm must not exceed maxBpm' });
    if (v.mode === 'similar' && !v.similarToTrackId) ctx.addIssue({ code: 'custom', path: ['similarToTrackId'], message: 'Required for mode similar' });
    if (v.mode === 'hybrid' && !v.similarToTrackId && !v.query?.trim()) ctx.addIssue({ code: 'custom', path: ['query'], message: 'hybrid needs a query or similarToTrackId' });
  });
