import type { z } from 'zod';
import { AppError } from '../../errors.js';

const MAX_DEPTH = 12;

/** Nesting depth of a JSON value, stopping early once past `limit`. */
function depthExceeds(value: unknown, limit: number): boolean {
  if (limit < 0) return true;
  if (value === null || typeof value !== 'object') return false;
  for (const v of Object.values(value as Record<string, unknown>)) if (depthExceeds(v, limit - 1)) return true;
  return false;
}

/**
 * Validates a value against a schema inside a handler (for routes whose schema depends on a
 * path parameter) with the same `400 validation_error` and issue paths as route schemas.
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  if (depthExceeds(value, MAX_DEPTH)) {
    throw new AppError(400, 'validation_error', 'The body is nested too deeply', { issues: [{ path: where, message: `Nested more than ${MAX_DEPTH} levels` }] });
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  throw new AppError(400, 'validation_error', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}

/** Where in a parsed request a NUL character sits, if anywhere (PostgreSQL text cannot hold one). */
export function findNul(value: unknown, root: string): string | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (k.includes('\u0000')) return path;
        stack.push([child, `${path}.${k}`]);
      }
    }
  }
  return null;
}
