import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { payloadTooLarge, sizeMismatch } from './key-rules.js';

export function isS3Status(err: unknown, status: number): boolean {
  const e = err as { $metadata?: { httpStatusCode?: number }; name?: string } | null;
  if (e?.$metadata?.httpStatusCode === status) return true;
  return status === 404 && (e?.name === 'NoSuchKey' || e?.name === 'NotFound');
}

export interface StreamUpload {
  bucket: string;
  key: string;
  body: Readable;
  contentType?: string;
  limit: number;
  expectedSize?: number;
  partSize: number;
}

/**
 * Uploads a stream of unknown length with memory bounded by about two parts: a body that
 * fits in one part becomes a single PutObject, a longer one a multipart upload whose parts
 * are sent one at a time (the stream is paused meanwhile). Either way the object only
 * appears once complete; an oversize or short body aborts before completion, so nothing is
 * stored. Returns the byte count.
 */
export async function uploadStream(client: S3Client, u: StreamUpload): Promise<number> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let uploadId: string | undefined;
  const parts: CompletedPart[] = [];

  const takePart = (): Buffer => {
    const all = Buffer.concat(pending, pendingBytes);
    const part = all.subarray(0, u.partSize);
    const rest = all.subarray(part.length);
    pending = rest.length > 0 ? [rest] : [];
    pendingBytes = rest.length;
    return part;
  };
  const sendPart = async (part: Buffer) => {
    if (!uploadId) {
      const created = await client.send(
        new CreateMultipartUploadCommand({ Bucket: u.bucket, Key: u.key, ContentType: u.contentType }),
      );
      uploadId = created.UploadId;
      if (!uploadId) throw new Error('S3 did not return an upload id');
    }
    const PartNumber = parts.length + 1;
    const res = await client.send(
      new UploadPartCommand({ Bucket: u.bucket, Key: u.key, UploadId: uploadId, PartNumber, Body: part, ContentLength: part.length }),
    );
    parts.push({ ETag: res.ETag, PartNumber });
  };

  try {
    for await (const chunk of u.body) {
      const buf: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      total += buf.length;
      if (total > u.limit) throw payloadTooLarge(u.limit);
      pending.push(buf);
      pendingBytes += buf.length;
      while (pendingBytes >= u.partSize) await sendPart(takePart());
    }
    if (u.expectedSize !== undefined && total !== u.expectedSize) throw sizeMismatch(u.expectedSize, total);
    if (!uploadId) {
      const body = Buffer.concat(pending, pendingBytes);
      await client.send(
        new PutObjectCommand({ Bucket: u.bucket, Key: u.key, Body: body, ContentType: u.contentType, ContentLength: body.length }),
      );
      return total;
    }
    if (pendingBytes > 0) await sendPart(takePart());
    await client.send(
      new CompleteMultipartUploadCommand({ Bucket: u.bucket, Key: u.key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
    );
    return total;
  } catch (err) {
    if (uploadId) {
      // Best effort: parts left behind by a failed abort are invisible and a bucket
      // lifecycle rule (AbortIncompleteMultipartUpload) reclaims them.
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: u.bucket, Key: u.key, UploadId: uploadId }))
        .catch(() => undefined);
    }
    throw err;
  }
}
