import { Transform, type TransformCallback } from 'node:stream';
import { payloadTooLarge } from './key-rules.js';

/**
 * Pass-through that counts bytes and fails the pipeline as soon as `limit` is crossed, so an
 * oversize body is rejected while streaming rather than after it has been written in full.
 */
export class ByteCounter extends Transform {
  bytes = 0;

  constructor(
    private readonly limit: number = Number.POSITIVE_INFINITY,
    private readonly onChunk?: (bytes: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      cb(payloadTooLarge(this.limit));
      return;
    }
    this.onChunk?.(chunk.length);
    cb(null, chunk);
  }
}

/** The tighter of maxBytes and expectedSize; a body may never exceed either. */
export function effectiveLimit(opts: { maxBytes?: number; expectedSize?: number }): number {
  return Math.min(opts.maxBytes ?? Number.POSITIVE_INFINITY, opts.expectedSize ?? Number.POSITIVE_INFINITY);
}
