import type { Config } from '../config.js';
import { badRequest } from '../errors.js';

export const UPLOAD_KINDS = ['audio', 'artwork', 'document', 'stem', 'cover'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

const AUDIO = [
  'audio/mpeg', 'audio/mp3', 'audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave', 'audio/flac', 'audio/x-flac', 'audio/aac',
  'audio/mp4', 'audio/x-m4a', 'audio/m4a', 'audio/ogg', 'audio/opus', 'audio/webm', 'audio/aiff', 'audio/x-aiff', 'audio/basic',
  'audio/x-ms-wma', 'application/octet-stream',
];
const IMAGE = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];
const DOCUMENT = [
  'application/pdf', 'text/plain', 'text/markdown', 'text/csv', 'application/rtf', 'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet', ...IMAGE,
];
const VIDEO = ['video/mp4', 'video/quicktime', 'video/webm'];

export function allowedContentTypes(kind: UploadKind, opts: { allowVideo?: boolean } = {}): readonly string[] {
  switch (kind) {
    case 'audio':
      return opts.allowVideo ? [...AUDIO, ...VIDEO] : AUDIO;
    case 'stem':
      return AUDIO;
    case 'artwork':
    case 'cover':
      return IMAGE;
    case 'document':
      return DOCUMENT;
  }
}

export function maxBytes(kind: UploadKind, limits: Config['limits']): number {
  if (kind === 'audio' || kind === 'stem') return limits.audioBytes;
  if (kind === 'document') return limits.documentBytes;
  return limits.imageBytes;
}

/** Checks a declared upload against the per-kind allow-list and size limit; the content type is normalised. */
export function checkDeclaredUpload(
  kind: UploadKind,
  input: { contentType: string; byteSize: number },
  limits: Config['limits'],
  opts: { allowVideo?: boolean } = {},
): string {
  const contentType = input.contentType.split(';')[0].trim().toLowerCase();
  if (!allowedContentTypes(kind, opts).includes(contentType)) {
    throw badRequest('unsupported_content_type', `Content type ${contentType} is not accepted for ${kind} uploads`, {
      issues: [{ path: 'contentType', message: `must be one of ${allowedContentTypes(kind, opts).join(', ')}` }],
    });
  }
  const limit = maxBytes(kind, limits);
  if (!Number.isSafeInteger(input.byteSize) || input.byteSize <= 0 || input.byteSize > limit) {
    throw badRequest('invalid_byte_size', `byteSize must be between 1 and ${limit} bytes for ${kind} uploads`, {
      issues: [{ path: 'byteSize', message: `must be between 1 and ${limit}` }],
    });
  }
  return contentType;
}

export const extensionOf = (fileName: string, fallback = 'bin'): string => {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(fileName);
  return m ? m[1].toLowerCase() : fallback;
};
