import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';

/** Deeper than any document a client of these APIs sends; deep enough to refuse stack-exhausting input. */
export const MAX_JSON_DEPTH = 64;

/** How deeply `text` nests arrays and objects, stopping as soon as it passes `limit`. Strings are skipped. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/**
 * JSON bodies are parsed by Fastify's own parser (which refuses prototype poisoning) once they
 * are known not to nest deeper than MAX_JSON_DEPTH: deeper input is a 400, never a blown stack.
 */
export function registerJsonBodyParser(app: FastifyInstance<any, any, any, any, any>): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(new AppError(400, 'json_too_deep', `JSON nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    parse(request, text, done);
  });
}
