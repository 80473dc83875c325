import type { Readable } from 'node:stream';
import type { CoreDeps } from '../../container.js';
import { uuidv7 } from '../../domain/ids.js';
import { AppError, badRequest } from '../../errors.js';
import { isMediaError } from '../../media/media-error.js';
import { sniffImage } from '../../media/image-kind.js';
import { probeAudio, type AudioProbe } from '../../media/probe.js';
import { sanitizeFileName } from '../../storage/object-keys.js';

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
  kind: 'audio' | 'video' | 'image' | 'file';
  /** Audio and video only: what the probe read from the stored bytes. */
  probe: AudioProbe | null;
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/** Reads and discards the rest of a part we refuse, so the request can complete. */
export function discard(file: IncomingFile): void {
  file.stream.resume();
}

/** What storing an incoming file reaches: the limits, the blob store and the media tools. */
export type IntakeCore = CoreDeps<'config' | 'store' | 'media'>;

type Declared = 'audio' | 'video' | 'image' | 'unknown' | 'other';

function declaredKind(contentType: string): Declared {
  if (contentType === '' || contentType === 'application/octet-stream') return 'unknown';
  if (contentType.startsWith('audio/')) return 'audio';
  if (contentType.startsWith('video/')) return 'video';
  if (IMAGE_TYPES.has(contentType)) return 'image';
  return 'other';
}



/**
 * Streams an uploaded file into the store under `keyFor(assetId, safeName)` (never holding it
 * in memory), then checks what it really is: audio and video are probed, images sniffed. A
 * file that is not what it claims is deleted again and refused with 400. With `anyFile`, a
 * file of another (or no) declared type is kept as an opaque download.
 */
export async function storeIncoming(
  core: IntakeCore,
  file: IncomingFile,
  keyFor: (assetId: string, safeName: string) => string,
  opts: { images: boolean; anyFile: boolean; /** Called with the key before a byte is stored (the pending-objects ledger). */ pending?: (key: string) => Promise<void> },
): Promise<StoredFile> {
  const declared = declaredKind(file.contentType.split(';')[0].trim().toLowerCase());
  const accepted = declared === 'audio' || declared === 'video' || declared === 'unknown' || (declared === 'image' && opts.images) || (declared === 'other' && opts.anyFile);
  if (!accepted) {
    discard(file);
    throw badRequest('unsupported_file_type', `${file.contentType || 'This file type'} is not accepted: upload an audio or video file${opts.images ? ' or an image (JPEG, PNG, WebP, GIF)' : ''}`);
  }
  const assetId = uuidv7();
  const fileName = sanitizeFileName(file.fileName || 'upload');
  const key = keyFor(assetId, fileName);
  const { limits } = core.config;
  const limit = declared === 'image' ? limits.imageBytes : declared === 'other' ? limits.documentBytes : limits.audioBytes;
  const stored = (kind: StoredFile['kind'], contentType: string, size: number, probe: AudioProbe | null): StoredFile =>
    ({ assetId, key, fileName, originalName: file.fileName, contentType, size, kind, probe });
  let size: number;
  await opts.pending?.(key);
  try {
    // Opaque files are always stored as downloads, never with a type a browser would render.
    size = (await core.store.put(key, file.stream, { contentType: declared === 'other' || declared === 'unknown' ? 'application/octet-stream' : file.contentType.split(';')[0].trim().toLowerCase(), maxBytes: limit })).size;
  } catch (err) {
    discard(file);
    throw err;
  }
  try {
    if (file.truncated()) throw new AppError(413, 'payload_too_large', `The file is larger than the ${limit} bytes allowed`);
    if (size === 0) throw badRequest('empty_file', 'The uploaded file is empty');
    if (declared === 'other') return stored('file', 'application/octet-stream', size, null);
    const head = await readHead(core, key);
    const image = sniffImage(head);
    if (declared === 'image' || (declared === 'unknown' && opts.images && image)) {
      if (!image) throw badRequest('not_image', 'The uploaded file is not a JPEG, PNG, WebP or GIF image');
      return stored('image', image.contentType, size, null);
    }
    const probe = await probeStored(core, key).catch((err: unknown) => {
      if (declared === 'unknown' && opts.anyFile && err instanceof AppError && (err.code === 'not_audio' || err.code === 'unsupported_container')) return null;
      throw err;
    });
    if (!probe) {
      if (size > limits.documentBytes) throw new AppError(413, 'payload_too_large', `The file is larger than the ${limits.documentBytes} bytes allowed`);
      return stored('file', 'application/octet-stream', size, null);
    }
    const kind = declared === 'video' ? 'video' : 'audio';
    return stored(kind, declared === 'unknown' ? probe.mimeType : file.contentType.split(';')[0].trim().toLowerCase(), size, probe);
  } catch (err) {
    await core.store.delete(key);
    throw err;
  }
}

async function readHead(core: Pick<IntakeCore, 'store'>, key: string): Promise<Buffer> {
  const { body } = await core.store.get(key, { start: 0, end: 11 });
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}


async function probeStored(core: Pick<IntakeCore, 'store' | 'media'>, key: string): Promise<AudioProbe> {
  const blob = await core.store.materialize(key);
  try {
    return await probeAudio(core.media, blob.path);
  } catch (err) {
    if (isMediaError(err, 'unsupported_container')) {
      throw badRequest('unsupported_container', `The uploaded file is not an audio or video file in an accepted container (${err.message})`);
    }
    if (isMediaError(err, 'not_audio') || isMediaError(err, 'ffmpeg_failed')) {
      throw badRequest('not_audio', `The uploaded file is not an audio or video file that can be read (${(err as Error).message})`);
    }
    throw err;
  } finally {
    await blob.cleanup();
  }
}
