import { createReadStream } from 'node:fs';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DeliveryTransport } from './transport.js';
import { joinRemote } from './transport.js';

export interface S3DeliveryConfig {
  bucket: string;
  prefix?: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** An S3 bucket and prefix. An object appears whole when its PUT completes, so no rename is needed. */
export function s3Transport(config: S3DeliveryConfig): DeliveryTransport {
  const client = new S3Client({
    region: config.region ?? 'us-east-1',
    // Plain signed PUTs: S3-compatible servers do not all take the SDK's streaming checksum trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: config.forcePathStyle ?? true } : {}),
    ...(config.accessKeyId && config.secretAccessKey ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } } : {}),
  });
  const key = (rel: string) => joinRemote(config.prefix ?? '', rel);
  return {
    async put(rel, source, size) {
      const Body = Buffer.isBuffer(source) ? source : createReadStream(source.path);
      await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: key(rel), Body, ContentLength: size }));
    },
    async size(rel) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key(rel) }));
        return head.ContentLength ?? null;
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || (err as { name?: string }).name === 'NotFound') return null;
        throw err;
      }
    },
    async close() {
      client.destroy();
    },
  };
}
