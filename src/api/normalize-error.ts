import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
}

/** Turns anything a route can throw into an AppError with a stable code; unknown errors become 500 internal_error. */
export function normalizeError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as FastifyLikeError;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = e.validationContext ?? 'body';
    const issues = (e.validation ?? []).map((v) => {
      const p = (v.params?.issue as { path?: Array<string | number> } | undefined)?.path;
      const path = [where, ...(p ?? (v.instancePath ?? '').split('/').filter(Boolean))].join('.');
      return { path, message: v.message ?? 'Invalid value' };
    });
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return new AppError(400, 'validation_error', summary || 'Invalid request', { issues });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'invalid_json', 'Body cannot be empty when content-type is application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError(400, 'invalid_json', 'Body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'payload_too_large', 'Request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'unsupported_media_type', 'Unsupported Content-Type');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(400, 'invalid_content_length', 'Content-Length does not match the body');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return new AppError(400, 'bad_request', 'Malformed request');
    case 'FST_ERR_RATE_LIMIT':
    case 'FST_ERR_RATE_LIMITED':
      return new AppError(429, 'rate_limited', 'Too many requests');
  }
  // The multipart parser's complaints about the framing the client sent (no boundary, cut short).
  if (err instanceof Error && !e.statusCode && /^(Multipart: |Unexpected end of (multipart data|form)|Malformed part header)/.test(err.message)) {
    return new AppError(400, 'invalid_multipart', `Malformed multipart/form-data body (${err.message.replace(/^Multipart: /, '')})`);
  }
  // PostgreSQL "data exception" class (22xxx): a value the client sent cannot be stored or compared
  // as given (a NUL byte in text, a number out of range). The client's fault, not ours.
  if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && !e.statusCode) {
    return new AppError(400, 'invalid_input', 'The request contains a value that cannot be processed (for example a NUL character)');
  }
  if (err instanceof SyntaxError && e.statusCode === 400) return new AppError(400, 'invalid_json', 'Body is not valid JSON');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError(e.statusCode, e.statusCode === 429 ? 'rate_limited' : 'bad_request', e.message ?? 'Bad request');
  }
  return new AppError(500, 'internal_error', 'Internal server error', { cause: err });
}
