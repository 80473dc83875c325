import { z } from 'zod';
import { order } from './common.schemas.js';

export const MAX_PAGE_SIZE = 100;

const count = (least: number) => z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(least, `must be at least ${least}`);

/** The paging every distribution list reads: `page` (1-based), the page size as `size` (Royalti's name) or `limit`, and `order`. */
const pagingShape = { page: count(1).default(1), size: count(1).optional(), limit: count(1).optional(), order };

/** A list's text query: Royalti clients send `search`, some send `q`. */
export const textQueryShape = { q: z.string().max(200).optional(), search: z.string().max(200).optional() };

/**
 * A list's query string: the shared paging fields plus the list's own filters. The page size
 * is `size` or `limit` (both given, they must agree), `defaultSize` when neither is, and at
 * most 100; the parsed query carries it as `size` only.
 */
export function listQuery<S extends z.ZodRawShape>(shape: S, opts: { defaultSize: number }) {
  type Parsed = Omit<z.output<z.ZodObject<typeof pagingShape & S>>, 'size' | 'limit'> & { size: number };
  const sizes = (q: unknown) => q as { size?: number; limit?: number } & Record<string, unknown>;
  return z
    .object({ ...pagingShape, ...shape })
    .superRefine((q, ctx) => {
      const { size, limit } = sizes(q);
      if (size !== undefined && limit !== undefined && size !== limit) {
        ctx.addIssue({ code: 'custom', path: ['limit'], message: `must equal size (${size}) when both are given` });
      }
    })
    .transform((q): Parsed => {
      const { size, limit, ...rest } = sizes(q);
      return { ...rest, size: Math.min(size ?? limit ?? opts.defaultSize, MAX_PAGE_SIZE) } as Parsed;
    });
}

/** The one pagination block of a list answer; the page size is echoed under both names it is accepted by. */
export const pagination = (total: number, page: number, size: number) => ({
  totalItems: total,
  totalPages: Math.ceil(total / size),
  currentPage: page,
  size,
  limit: size,
});

/** A list answer in Royalti's shape: the rows as `data`, the pagination block beside them. */
export const paged = <T>(message: string, data: T[], total: number, page: number, size: number) => ({
  success: true as const,
  message,
  data,
  ...pagination(total, page, size),
});
