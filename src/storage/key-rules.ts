import { AppError, badRequest } from '../errors.js';
import { MAX_SIGNED_URL_TTL_SEC } from './blob-store.js';

/**
 * Keys are restricted to a charset that is safe as a file path, an S3 key and a URL path
 * segment without any encoding, so the same key means the same thing in every store.
 */
const KEY_CHARS = /^[A-Za-z0-9._/-]+$/;
export const MAX_KEY_LENGTH = 1024;

function keyProblem(key: string, allowTrailingSlash: boolean): string | null {
  if (typeof key !== 'string' || key.length === 0) return 'is empty';
  if (key.length > MAX_KEY_LENGTH) return `is longer than ${MAX_KEY_LENGTH} characters`;
  if (!KEY_CHARS.test(key)) return 'contains characters outside [A-Za-z0-9._/-]';
  if (key.startsWith('/')) return 'starts with "/"';
  const segments = key.split('/');
  if (allowTrailingSlash && segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  for (const segment of segments) {
    if (segment === '') return 'has an empty segment';
    if (segment === '.' || segment === '..') return `has a "${segment}" segment`;
  }
  return null;
}

export function assertValidKey(key: string): void {
  const problem = keyProblem(key, false);
  if (problem) throw badRequest('invalid_key', `Object key ${problem}`, { details: { key: String(key).slice(0, 200) } });
}

/** A prefix follows the key rules but may end with "/"; an empty prefix is refused (it would match everything). */
export function assertValidPrefix(prefix: string): void {
  const problem = keyProblem(prefix, true);
  if (problem) throw badRequest('invalid_prefix', `Prefix ${problem}`, { details: { prefix: String(prefix).slice(0, 200) } });
}

/** A conservative media type: type/subtype plus optional parameters, no control characters. */
const CONTENT_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\\\x00-\x1f\x7f]*"|[A-Za-z0-9!#$&^_.+-]+))*$/;

export function assertValidContentType(contentType: string): void {
  if (typeof contentType !== 'string' || contentType.length > 200 || !CONTENT_TYPE.test(contentType)) {
    throw badRequest('invalid_content_type', 'Content type is not a valid media type');
  }
}

export function assertValidTtl(expiresInSec: number): void {
  if (!Number.isInteger(expiresInSec) || expiresInSec < 1 || expiresInSec > MAX_SIGNED_URL_TTL_SEC) {
    throw badRequest('invalid_expiry', `expiresInSec must be an integer between 1 and ${MAX_SIGNED_URL_TTL_SEC}`);
  }
}

export function assertValidByteSize(byteSize: number): void {
  if (!Number.isSafeInteger(byteSize) || byteSize < 0) {
    throw badRequest('invalid_byte_size', 'byteSize must be a non-negative integer');
  }
}

export function payloadTooLarge(limit: number): AppError {
  return new AppError(413, 'payload_too_large', `Body exceeds ${limit} bytes`, { details: { limit } });
}

export function sizeMismatch(expected: number, received: number): AppError {
  return badRequest('size_mismatch', `Body has ${received} bytes, ${expected} were declared`, {
    details: { expected, received },
  });
}

export function blobNotFound(key: string): AppError {
  return new AppError(404, 'blob_not_found', 'Blob not found', { details: { key } });
}

export function rangeNotSatisfiable(size: number): AppError {
  return new AppError(416, 'range_not_satisfiable', 'Requested range not satisfiable', { details: { size } });
}
