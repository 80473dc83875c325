import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { S3BlobStore } from '../../src/storage/s3-blob-store.js';

export interface RunningS3rver {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A STORAGE_URL pointing at this server. */
  storageUrl: string;
  directory: string;
  /** Every object in the bucket, key -> size (complete objects only: parts in progress are not listed). */
  objects(): Promise<Map<string, number>>;
  /** Parts stored of multipart uploads neither completed nor aborted. */
  partsInProgress(): Promise<number>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const S3RVER_MAIN = require.resolve('@20minutes/s3rver');

// s3rver signs ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers
// through its legacy provider; a child process started with that provider keeps paginated
// listings working without weakening the test process itself.
const SERVER_SCRIPT = `
const S3rver = require(process.env.S3RVER_MAIN);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory: process.env.S3RVER_DIR,
  silent: true,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET }],
});
server.run().then(
  (addr) => process.stdout.write(JSON.stringify({ port: addr.port }) + '\\n'),
  (err) => { console.error(err); process.exit(1); },
);
process.on('SIGTERM', () => server.close().finally(() => process.exit(0)));
`;

/**
 * A real S3-compatible server (it verifies SigV4 signatures, presigned expiry included) on a
 * random port with its data in a temp folder.
 */
export async function startS3rver(bucket = 'ledgerline-test'): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'ledgerline-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_SCRIPT], {
    env: { ...process.env, S3RVER_MAIN, S3RVER_DIR: directory, S3RVER_BUCKET: bucket },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let port: number;
  try {
    port = await readPort(child);
  } catch (err) {
    child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const accessKeyId = 'S3RVER';
  const secretAccessKey = 'S3RVER';
  const region = 'us-east-1';
  const query = new URLSearchParams({ endpoint, region, forcePathStyle: 'true', accessKeyId, secretAccessKey });
  // The store's client: it signs bucket listings the way s3rver checks them.
  const { client } = new S3BlobStore({ bucket, endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
  return {
    endpoint,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    storageUrl: `s3://${bucket}?${query.toString()}`,
    directory,
    objects: async () => {
      const found = new Map<string, number>();
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        for (const o of page.Contents ?? []) found.set(o.Key!, o.Size ?? 0);
        token = page.NextContinuationToken;
      } while (token);
      return found;
    },
    // s3rver keeps the parts of an open multipart upload as <bucket>/._S3rver_uploads/<id>/<n>,
    // writing <n>.md5 once part n is complete; S3 itself has no cheap way to count them.
    partsInProgress: async () => {
      const uploads = join(directory, bucket, '._S3rver_uploads');
      const ids = await readdir(uploads).catch(() => [] as string[]);
      let parts = 0;
      for (const id of ids) parts += (await readdir(join(uploads, id)).catch(() => [] as string[])).filter((f) => /^\d+\.md5$/.test(f)).length;
      return parts;
    },
    close: async () => {
      client.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('s3rver did not start within 15 s')), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch {
          reject(new Error(`unexpected s3rver output: ${line}`));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited early with code ${code}`));
    });
  });
}
