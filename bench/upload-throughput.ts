/**
 * Upload throughput of the local store's signed PUT route against a bare node:http server
 * piping the request into a file. Both servers run in this process on 127.0.0.1; the
 * client is a separate process that generates the body on the fly, so its memory and CPU
 * stay out of the server's figures. The store fsyncs before answering (the default) while
 * the bare server does not, so a store with fsync off is measured too. Reports, never
 * asserts: exits 0.
 *
 *   npx tsx bench/upload-throughput.ts [sizeMiB=256] [runs=3]
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Fastify from 'fastify';
import { LocalBlobStore } from '../src/storage/local-blob-store.js';
import { registerLocalStorageRoutes } from '../src/storage/local-storage.routes.js';

const MIB = 1024 * 1024;
const SIZE = Number(process.argv[2] ?? 256) * MIB;
const RUNS = Number(process.argv[3] ?? 3);
const CONTENT_TYPE = 'audio/wav';

// The client: streams SIZE bytes in 1 MiB chunks made on the fly (a counter stamped into a
// reused buffer), honouring backpressure, and reports the wall time to the response.
const CLIENT = `
const http = require('node:http');
const { Readable } = require('node:stream');
const [url, size, contentType] = [process.argv[1], Number(process.argv[2]), process.argv[3]];
const chunk = Buffer.alloc(1024 * 1024);
for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 131 + 7) & 0xff;
let sent = 0;
const body = new Readable({
  read() {
    if (sent >= size) return this.push(null);
    const n = Math.min(chunk.length, size - sent);
    chunk.writeUInt32BE(sent / chunk.length, 0);
    sent += n;
    this.push(Buffer.from(chunk.subarray(0, n)));
  },
});
const start = process.hrtime.bigint();
const req = http.request(url, { method: 'PUT', headers: { 'content-type': contentType, 'content-length': String(size) } }, (res) => {
  let text = '';
  res.on('data', (d) => (text += d));
  res.on('end', () => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    process.stdout.write(JSON.stringify({ status: res.statusCode, ms, text }));
  });
});
req.on('error', (err) => { console.error(err); process.exit(1); });
body.pipe(req);
`;

function runClient(url: string, size: number): Promise<{ status: number; ms: number; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT, url, String(size), CONTENT_TYPE], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`client exited with ${code}`));
      try {
        resolve(JSON.parse(out) as { status: number; ms: number; text: string });
      } catch {
        reject(new Error(`client printed ${out}`));
      }
    });
  });
}

/** Samples this process's RSS every 5 ms while `work` runs; returns peak growth in bytes. */
async function withRssPeak<T>(work: () => Promise<T>): Promise<{ result: T; peakGrowth: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakGrowth: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}

/** CPU time (user + system, ms) this process spends while `work` runs: robust to other load. */
async function withCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpuMs: (used.user + used.system) / 1000 };
}

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-bench-'));

  // Bare baseline: the request piped straight into a file.
  const bareFile = join(dir, 'bare.bin');
  const bare = createServer((req, res) => {
    pipeline(req, createWriteStream(bareFile)).then(
      () => res.end('ok'),
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  const barePort = await listen(bare);

  const bareRun = async (size: number) => {
    const { result: r, cpuMs } = await withCpu(() => runClient(`http://127.0.0.1:${barePort}/upload`, size));
    if (r.status !== 200) throw new Error(`bare server answered ${r.status}: ${r.text}`);
    await rm(bareFile, { force: true });
    return { ms: r.ms, cpuMs };
  };

  // Ledgerline as configured (durable: fsync before answering), and with fsync off to show
  // what durability costs on this disk.
  const durable = await startLedgerline(join(dir, 'durable'), true);
  const scratch = await startLedgerline(join(dir, 'scratch'), false);

  try {
    // Warm-up (JIT, page cache, first-use allocations) is not measured.
    await bareRun(16 * MIB);
    await durable.run(16 * MIB);
    await scratch.run(16 * MIB);

    const bareMs: number[] = [];
    const bareCpu: number[] = [];
    const appMs: number[] = [];
    const appCpu: number[] = [];
    const appRss: number[] = [];
    const scratchMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Interleave so drift (page cache, other load) hits every variant alike.
      const b = await bareRun(SIZE);
      bareMs.push(b.ms);
      bareCpu.push(b.cpuMs);
      const r = await durable.run(SIZE);
      appMs.push(r.ms);
      appCpu.push(r.cpuMs);
      appRss.push(r.peakGrowth);
      scratchMs.push((await scratch.run(SIZE)).ms);
    }

    const bareRate = mbps(SIZE, median(bareMs));
    const appRate = mbps(SIZE, median(appMs));
    const scratchRate = mbps(SIZE, median(scratchMs));
    const fmt = (xs: number[]) => xs.map((ms) => mbps(SIZE, ms).toFixed(0)).join(', ');
    console.log(`Upload throughput: ${SIZE / MIB} MiB PUT over 127.0.0.1, median of ${RUNS} (MB = 10^6 bytes)`);
    console.log(`  bare node:http -> file      ${bareRate.toFixed(1).padStart(7)} MB/s   runs: ${fmt(bareMs)}`);
    console.log(`  Ledgerline signed PUT       ${appRate.toFixed(1).padStart(7)} MB/s   runs: ${fmt(appMs)}`);
    console.log(`  ratio Ledgerline / bare     ${(appRate / bareRate).toFixed(2).padStart(7)}        (target >= 0.70)`);
    console.log(`  (Ledgerline, fsync off      ${scratchRate.toFixed(1).padStart(7)} MB/s   runs: ${fmt(scratchMs)}; ratio ${(scratchRate / bareRate).toFixed(2)})`);
    console.log(
      `  server CPU per upload       bare ${median(bareCpu).toFixed(0)} ms, Ledgerline ${median(appCpu).toFixed(0)} ms ` +
        `(medians; ratio ${(median(bareCpu) / median(appCpu)).toFixed(2)}, less sensitive to other load than wall time)`,
    );
    console.log(
      `  server peak RSS growth      ${(Math.max(...appRss) / MIB).toFixed(1).padStart(7)} MiB    ` +
        `(worst of ${RUNS}; runs: ${appRss.map((b) => (b / MIB).toFixed(1)).join(', ')}; target < 64 MiB)`,
    );
  } finally {
    await durable.close();
    await scratch.close();
    await new Promise((resolve) => bare.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

/** A Fastify app serving signed PUTs into a local store at `root`. */
async function startLedgerline(root: string, durable: boolean) {
  const store = new LocalBlobStore({ root, publicUrl: 'http://bench.invalid', secret: 'bench-secret', durable });
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await registerLocalStorageRoutes(app, { store });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const key = 't/bench/tracks/upload/source.wav';
  return {
    async run(size: number): Promise<{ ms: number; cpuMs: number; peakGrowth: number }> {
      const { url } = await store.signedPutUrl(key, { expiresInSec: 3600, contentType: CONTENT_TYPE, byteSize: size });
      const {
        result: { result, peakGrowth },
        cpuMs,
      } = await withCpu(() => withRssPeak(() => runClient(url.replace('http://bench.invalid', origin), size)));
      if (result.status !== 200) throw new Error(`Ledgerline answered ${result.status}: ${result.text}`);
      const stat = await store.stat(key);
      if (stat?.size !== size) throw new Error(`stored ${stat?.size} bytes, expected ${size}`);
      await store.delete(key);
      return { ms: result.ms, cpuMs, peakGrowth };
    },
    close: () => app.close(),
  };
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
