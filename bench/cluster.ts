/**
 * The scale-out deployment on this machine: RUN_MODE=api and RUN_MODE=worker processes started
 * with the container's entrypoint and deploy/cluster.env, on PostgreSQL (BENCH_DATABASE_URL or
 * TEST_DATABASE_URL, a fresh schema) and an s3rver bucket. Prints, in one run:
 *  - req/s of GET /v1/track/:id and of the share page /s/:token with 1 vs 2 API processes
 *    (the same total client connections, split evenly over the processes), and the ratio;
 *  - tracks processed per minute with 1 vs 2 workers, and the ratio;
 *  - the CPU each process used in each phase (cores: CPU seconds per wall second).
 * The load generator runs on the same cores as the processes it measures.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load, type LoadResult } from './lib/http.js';
import { clusterEnv, runCli, startProcess, type ClusterProcess } from '../test/helpers/cluster.js';
import { startS3rver } from '../test/helpers/s3rver.js';
import { freePort } from '../test/helpers/server-process.js';
import { makeTone } from '../test/helpers/audio.js';
import { dropSchemas, uniqueSchema } from '../test/jobs/support.js';

const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!url) {
  process.stderr.write('bench/cluster.ts needs BENCH_DATABASE_URL or TEST_DATABASE_URL (postgres://...)\n');
  process.exit(2);
}
// dropSchemas reads the test variable.
process.env.TEST_DATABASE_URL = url;
const DURATION = Number(process.env.BENCH_DURATION ?? 6);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 40);
const TRACKS = Number(process.env.BENCH_TRACKS ?? 6);
const TRACK_SECONDS = Number(process.env.BENCH_TRACK_SECONDS ?? 30);

const schema = uniqueSchema('bench_cluster');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'll-bench-cluster-'));
const s3 = await startS3rver('bench-cluster');
const procs: ClusterProcess[] = [];
const env = (mode: 'api' | 'worker', port: number) => ({
  ...clusterEnv(),
  RUN_MODE: mode,
  PORT: String(port),
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  DATABASE_URL: url,
  DATABASE_SCHEMA: schema,
  STORAGE_URL: s3.storageUrl,
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  LOG_LEVEL: 'warn',
  // The bench's load comes from one address.
  PUBLIC_RATE_LIMIT: '100000000',
});
const start = async (name: string, mode: 'api' | 'worker') => {
  const port = mode === 'api' ? await freePort() : 0;
  const p = await startProcess(name, env(mode, port));
  procs.push(p);
  return p;
};

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
/** Runs `fn` and reports the cores each process (and its children: ffmpeg) used meanwhile. */
async function withCpu<T>(ps: ClusterProcess[], fn: () => Promise<T>): Promise<{ result: T; cores: Record<string, string>; seconds: number }> {
  const before = ps.map((p) => cpuSeconds(p.child.pid!) + childCpu(p.child.pid!));
  const t0 = Date.now();
  const result = await fn();
  const seconds = (Date.now() - t0) / 1000;
  const cores: Record<string, string> = {};
  ps.forEach((p, i) => (cores[p.name] = ((cpuSeconds(p.child.pid!) + childCpu(p.child.pid!) - before[i]) / seconds).toFixed(2)));
  return { result, cores, seconds };
}
/** CPU of reaped children (cutime + cstime): the ffmpeg runs of a worker. */
function childCpu(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

async function spread(targets: string[], headers: Record<string, string> = {}): Promise<LoadResult> {
  const per = Math.max(1, Math.floor(CONNECTIONS / targets.length));
  const results = await Promise.all(targets.map((u) => load(u, { connections: per, duration: DURATION, headers })));
  const bad = results.reduce((n, r) => n + r.non2xx + r.errors, 0);
  if (bad) throw new Error(`${bad} failed requests against ${targets.join(', ')}`);
  return { rps: results.reduce((s, r) => s + r.rps, 0), p50: Math.max(...results.map((r) => r.p50)), p95: 0, p99: Math.max(...results.map((r) => r.p99)), errors: 0, non2xx: 0 };
}

const rows: string[] = [];
const row = (...cells: Array<string | number>) => rows.push(`| ${cells.join(' | ')} |`);

try {
  const a = await start('api A', 'api');
  const w1 = await start('worker 1', 'worker');
  const token = await runCli(env('api', 0), ['token', 'create', '--tenant', 'default', '--user', 'admin', '--role', 'owner', '--entitlement', 'tracks.share']);
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const tone = readFileSync(makeTone({ seconds: TRACK_SECONDS, format: 'wav' }));

  async function uploadBatch(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const intent = await (await fetch(`${a.base}/api/swayzio/v1/uploads`, { method: 'POST', headers: json, body: JSON.stringify({ fileName: `bench-${i}.wav`, contentType: 'audio/wav', byteSize: tone.length }) })).json();
      await (await fetch(intent.signedUrl, { method: 'PUT', headers: intent.requiredHeaders, body: new Uint8Array(tone) })).arrayBuffer();
      const fin = await fetch(`${a.base}${new URL(intent.finalizeUrl, a.base).pathname}`, { method: 'POST', headers: auth });
      if (!fin.ok) throw new Error(`finalize answered ${fin.status}`);
      ids.push(intent.trackId);
    }
    return ids;
  }
  async function settled(ids: string[]): Promise<void> {
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      let done = 0;
      for (const id of ids) {
        const s = await (await fetch(`${a.base}/api/swayzio/v1/tracks/${id}/processing-status`, { headers: auth })).json();
        const lanes = Object.values(s.stages as Record<string, { status: string }>);
        if (s.readiness?.ready && lanes.every((l) => !['pending', 'running'].includes(l.status))) done++;
      }
      if (done === ids.length) return;
      if (Date.now() > deadline) throw new Error('tracks did not settle');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  // Tracks per minute: the uploads go in with no worker taking them, then the workers drain the batch.
  async function throughput(workers: ClusterProcess[]): Promise<{ perMinute: number; cores: Record<string, string> }> {
    for (const w of workers) w.signal('SIGSTOP');
    const ids = await uploadBatch(TRACKS);
    const { cores, seconds } = await withCpu([a, ...workers], async () => {
      for (const w of workers) w.signal('SIGCONT');
      await settled(ids);
    });
    return { perMinute: (TRACKS / seconds) * 60, cores };
  }
  const one = await throughput([w1]);
  const w2 = await start('worker 2', 'worker');
  const two = await throughput([w1, w2]);

  // A processed track and its share link for the read benchmarks.
  const [trackId] = await uploadBatch(1);
  await settled([trackId]);
  const link = await (await fetch(`${a.base}/api/swayzio/v1/tracks/${trackId}/share-links`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'bench' }) })).json();
  // Workers idle during the read phases; stop them so they take no CPU from the API processes.
  for (const w of [w1, w2]) w.signal('SIGSTOP');

  const b = await start('api B', 'api');
  const readPhase = async (name: string, route: string, headers: Record<string, string>) => {
    await spread([`${a.base}${route}`, `${b.base}${route}`], headers); // warm both
    const single = await withCpu([a, b], () => spread([`${a.base}${route}`], headers));
    const double = await withCpu([a, b], () => spread([`${a.base}${route}`, `${b.base}${route}`], headers));
    row(name, single.result.rps.toFixed(0), double.result.rps.toFixed(0), (double.result.rps / single.result.rps).toFixed(2), `${single.result.p50}/${single.result.p99}`, `${double.result.p50}/${double.result.p99}`, `A ${single.cores['api A']}`, `A ${double.cores['api A']}, B ${double.cores['api B']}`);
  };
  rows.push('| read | 1 API req/s | 2 API req/s | ratio | p50/p99 ms (1) | p50/p99 ms (2) | CPU cores (1) | CPU cores (2) |', '|---|---|---|---|---|---|---|---|');
  await readPhase('GET /v1/track/:id', `/v1/track/${trackId}`, auth);
  await readPhase('GET /s/:token (share page)', link.sharePath, {});
  rows.push('', '| pipeline | 1 worker | 2 workers | ratio | CPU cores (1 worker, incl. ffmpeg) | CPU cores (2 workers, incl. ffmpeg) |', '|---|---|---|---|---|---|');
  row(
    `tracks/min (${TRACK_SECONDS} s WAV, JOB_CONCURRENCY ${clusterEnv().JOB_CONCURRENCY})`,
    one.perMinute.toFixed(1),
    two.perMinute.toFixed(1),
    (two.perMinute / one.perMinute).toFixed(2),
    `worker 1 ${one.cores['worker 1']}, api A ${one.cores['api A']}`,
    `worker 1 ${two.cores['worker 1']}, worker 2 ${two.cores['worker 2']}, api A ${two.cores['api A']}`,
  );
  process.stdout.write(`\ncluster bench: ${os.cpus().length} cores, ${CONNECTIONS} connections, ${DURATION} s per read phase, ${TRACKS} tracks per pipeline batch\n\n${rows.join('\n')}\n`);
} finally {
  for (const p of procs) {
    p.signal('SIGCONT');
    await p.kill();
  }
  await s3.close();
  await dropSchemas(schema, `${schema}_boss`);
  rmSync(dataDir, { recursive: true, force: true });
}
