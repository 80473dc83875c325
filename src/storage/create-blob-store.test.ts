import { describe, expect, it } from 'vitest';
import { createBlobStore, parseS3Url } from './create-blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

const base = { dataDir: '/var/lib/ledgerline', publicUrl: 'https://music.example.com', secret: 's' };

describe('createBlobStore', () => {
  it('defaults to a folder under the data dir', () => {
    for (const storageUrl of [undefined, '', '  ']) {
      const store = createBlobStore({ ...base, storageUrl });
      expect(store).toBeInstanceOf(LocalBlobStore);
      expect(store.kind === 'local' && store.root).toBe('/var/lib/ledgerline/blobs');
    }
  });

  it('uses a file: URL as the local root', () => {
    const store = createBlobStore({ ...base, storageUrl: 'file:///srv/media%20store' });
    expect(store.kind).toBe('local');
    expect((store as LocalBlobStore).root).toBe('/srv/media store');
  });

  it('builds an S3 store from an s3: URL', () => {
    const store = createBlobStore({
      ...base,
      storageUrl:
        's3://my-bucket?endpoint=http://127.0.0.1:4569&region=us-east-1&forcePathStyle=true&accessKeyId=AK&secretAccessKey=SK',
    });
    expect(store).toBeInstanceOf(S3BlobStore);
    expect(store.kind === 's3' && store.bucket).toBe('my-bucket');
  });

  it('parses every s3: parameter', () => {
    expect(
      parseS3Url(new URL('s3://b.example-1?endpoint=https://s3.example.com&region=eu-west-3&forcePathStyle=false&accessKeyId=A&secretAccessKey=S%2Fx&sessionToken=T')),
    ).toEqual({
      bucket: 'b.example-1',
      endpoint: 'https://s3.example.com',
      region: 'eu-west-3',
      forcePathStyle: false,
      credentials: { accessKeyId: 'A', secretAccessKey: 'S/x', sessionToken: 'T' },
    });
    // No credentials: the SDK default chain applies.
    expect(parseS3Url(new URL('s3://bucket'))).toEqual({
      bucket: 'bucket',
      endpoint: undefined,
      region: undefined,
      forcePathStyle: undefined,
      credentials: undefined,
    });
  });

  it.each([
    ['not a url', /not a URL/],
    ['http://example.com/x', /unsupported scheme/],
    ['file://relative/path', /file:\/\/\/absolute/],
    ['file:///', /filesystem root/],
    ['file:///srv/x?y=1', /no query/],
    ['s3://Bad_Bucket', /bucket name/],
    ['s3://bucket/some/path', /no path/],
    ['s3://user:pw@bucket', /credentials/],
    ['s3://bucket?endpont=http://x', /unknown parameter "endpont"/],
    ['s3://bucket?region=a&region=b', /repeated/],
    ['s3://bucket?endpoint=ftp://x', /http\(s\) URL/],
    ['s3://bucket?endpoint=nope', /http\(s\) URL/],
    ['s3://bucket?forcePathStyle=yes', /true or false/],
    ['s3://bucket?accessKeyId=A', /go together/],
    ['s3://bucket?sessionToken=T', /sessionToken/],
  ])('rejects %j naming STORAGE_URL', (storageUrl, reason) => {
    expect(() => createBlobStore({ ...base, storageUrl })).toThrow(/^Invalid STORAGE_URL: /);
    expect(() => createBlobStore({ ...base, storageUrl })).toThrow(reason);
  });
});
