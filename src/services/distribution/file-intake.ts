import type { Readable } from 'node:stream';
import type { CoreContainer } from '../../container.js';
import { uuidv7 } from '../../domain/ids.js';
import { AppError, badRequest } from '../../errors.js';
import { isMediaError } from '../../media/media-error.js';
import { probeAudio, type AudioProbe } from '../../media/probe.js';
import { sanitizeFileName } from '../../storage/object-keys.js';
import type { ProbeResult } from '../lane-results.js';

/** A file part of a multipart request, still streaming. */
export interface IncomingFile {
  stream: Readable;
  fileName: string;
  contentType: string;
  /** True when the part hit the request's file size limit and was cut short. */
  truncated(): boolean;
}

export interface StoredFile {
  assetId: string;
  key: string;
  fileName: string;
  originalName: string;
  contentType: string;
  size: number;
  kind: 'audio' | 'video' | 'image';
  /** Audio and video only: what the probe read from the stored bytes. */
  probe: AudioProbe | null;
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/** Reads and discards the rest of a part we refuse, so the request can complete. */
export function discard(file: IncomingFile): void {
  file.stream.resume();
}

const mediaKind = (contentType: string): 'audio' | 'video' | 'image' | null =>
  contentType.startsWith('audio/') || contentType === 'application/octet-stream' ? 'audio' : contentType.startsWith('video/') ? 'video' : IMAGE_TYPES.has(contentType) ? 'image' : null;

function looksLikeImage(head: Buffer): boolean {
  const hex = head.subarray(0, 12).toString('hex');
  return hex.startsWith('ffd8ff') || hex.startsWith('89504e470d0a1a0a') || hex.startsWith('47494638') || (hex.startsWith('52494646') && head.subarray(8, 12).toString() === 'WEBP');
}

export function probeResult(p: AudioProbe): ProbeResult {
  return {
    durationMs: p.durationMs ?? null, bitrate: p.bitrate ?? null, sampleRate: p.sampleRate ?? null, channels: p.channels ?? null, codec: p.codec ?? null,
    container: p.container ?? null, mimeType: p.mimeType ?? null, fileSize: p.fileSize, tags: p.tags ?? {}, hasArtwork: !!p.artwork,
  };
}

/**
 * Streams an uploaded file into the store under `keyFor(assetId, safeName)` (never holding it
 * in memory), then checks what it really is: audio and video are probed, images sniffed. A
 * file that is not what it claims is deleted again and refused with 400.
 */
export async function storeIncoming(
  core: CoreContainer,
  file: IncomingFile,
  keyFor: (assetId: string, safeName: string) => string,
  opts: { images: boolean },
): Promise<StoredFile> {
  const contentType = file.contentType.split(';')[0].trim().toLowerCase();
  const kind = mediaKind(contentType);
  if (!kind || (kind === 'image' && !opts.images)) {
    discard(file);
    throw badRequest('unsupported_file_type', `${contentType || 'This file type'} is not accepted: upload an audio or video file${opts.images ? ' or an image (JPEG, PNG, WebP, GIF)' : ''}`);
  }
  const assetId = uuidv7();
  const fileName = sanitizeFileName(file.fileName || 'upload');
  const key = keyFor(assetId, fileName);
  const limit = kind === 'image' ? core.config.limits.imageBytes : core.config.limits.audioBytes;
  let size: number;
  try {
    size = (await core.store.put(key, file.stream, { contentType, maxBytes: limit })).size;
  } catch (err) {
    discard(file);
    throw err;
  }
  if (file.truncated()) {
    await core.store.delete(key);
    throw new AppError(413, 'payload_too_large', `The file is larger than the ${limit} bytes allowed`);
  }
  if (size === 0) {
    await core.store.delete(key);
    throw badRequest('empty_file', 'The uploaded file is empty');
  }
  try {
    if (kind === 'image') {
      const { body } = await core.store.get(key, { start: 0, end: 11 });
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(c as Buffer);
      if (!looksLikeImage(Buffer.concat(chunks))) throw badRequest('not_image', 'The uploaded file is not a JPEG, PNG, WebP or GIF image');
      return { assetId, key, fileName, originalName: file.fileName, contentType, size, kind, probe: null };
    }
    const blob = await core.store.materialize(key);
    try {
      const probe = await probeAudio(core.media, blob.path).catch((err: unknown) => {
        if (isMediaError(err, 'not_audio') || isMediaError(err, 'ffmpeg_failed')) {
          throw badRequest('not_audio', `The uploaded file is not an audio or video file that can be read (${(err as Error).message})`);
        }
        throw err;
      });
      return { assetId, key, fileName, originalName: file.fileName, contentType, size, kind, probe };
    } finally {
      await blob.cleanup();
    }
  } catch (err) {
    await core.store.delete(key);
    throw err;
  }
}
