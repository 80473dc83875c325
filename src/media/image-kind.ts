import { open } from 'node:fs/promises';
import { MediaError } from './media-error.js';

export type ImageKind = { ext: 'jpg' | 'png' | 'gif' | 'webp'; contentType: string };

/** Recognises the image formats artwork may use by their first bytes; null for anything else. */
export function sniffImage(bytes: Buffer): ImageKind | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { ext: 'jpg', contentType: 'image/jpeg' };
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { ext: 'png', contentType: 'image/png' };
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.subarray(0, 6).toString('latin1'))) return { ext: 'gif', contentType: 'image/gif' };
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return { ext: 'webp', contentType: 'image/webp' };
  return null;
}

const IMAGE_DEMUXER: Record<ImageKind['ext'], string> = { jpg: 'jpeg_pipe', png: 'png_pipe', gif: 'gif', webp: 'webp_pipe' };

/**
 * ffmpeg options reading `path` as the image its first bytes say it is, through the file
 * protocol only (the image2 demuxer would expand patterns in the name); throws not_image.
 */
export async function imageInputArgs(path: string): Promise<string[]> {
  const file = await open(path, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(12);
    const { bytesRead } = await file.read(buf, 0, 12, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
  const kind = sniffImage(head);
  if (!kind) throw new MediaError('not_image', 'the file is not a JPEG, PNG, GIF or WebP image');
  return ['-protocol_whitelist', 'file', '-f', IMAGE_DEMUXER[kind.ext], '-i', `file:${path}`];
}
