/**
 * Swayzio workspace reads on 100,000 tracks of one user, each with a 64-dimension embedding:
 * - `GET /api/swayzio/v1/tracks?limit=50` throughput vs a bare Fastify route returning the
 *   same body (target ratio >= 0.3); the catalog does not change during the run, so this
 *   measures the served-from-cache path that repeated reads take;
 * - keyword and similar search (`POST /v1/search/tracks`) latency, target p95 < 50 ms, timed
 *   one request at a time so the figure is service time, then under load for throughput.
 * Run: npx tsx bench/workspace.ts   (BENCH_DURATION seconds per run, default 5; BENCH_TRACKS)
 * It reports; it never fails the run.
 */
import type { Insertable } from 'kysely';
import type { Database } from '../src/db/schema.js';
import { uuidv7 } from '../src/domain/ids.js';
import { bareServer, load, printLine, realApp, memberHeaders } from './lib/http.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const TRACKS = Number(process.env.BENCH_TRACKS ?? 100_000);
const DIMS = 64;
const BATCH = 400;
const WORDS = [
  'night', 'drive', 'harbour', 'lights', 'northern', 'tide', 'ember', 'glass', 'river', 'summer', 'winter', 'echo', 'velvet', 'static', 'neon',
  'paper', 'silver', 'golden', 'hollow', 'signal', 'orbit', 'canyon', 'meadow', 'thunder', 'quiet', 'storm', 'shadow', 'mirror', 'ocean', 'desert',
  'forest', 'city', 'midnight', 'morning', 'fever', 'dream', 'ghost', 'wild', 'electric', 'broken', 'crystal', 'distant', 'falling', 'rising', 'low',
  'high', 'slow', 'fast', 'blue', 'red', 'green', 'violet', 'amber', 'ivory', 'copper', 'iron', 'stone', 'cloud', 'rain', 'snow',
];
const GENRES = ['Ambient', 'Rock', 'Jazz', 'Electronic', 'Folk', 'Hip-Hop', 'Classical', 'Pop'];
const MOODS = ['calm', 'tense', 'happy', 'dark', 'dreamy'];

/** Deterministic pseudo-random numbers, so runs compare. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Service time of `count` sequential requests (ms): each waits for the previous one. */
async function sequential(count: number, send: (i: number) => Promise<Response>): Promise<{ p50: number; p95: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const res = await send(i);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`request ${i} answered ${res.status}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1] };
}

const bench = await realApp();
try {
  const { tenant, user, headers } = await memberHeaders(bench);

  const started = Date.now();
  const db = bench.container.db;
  const random = rng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const ids: string[] = [];
  const base = Date.parse('2024-01-01T00:00:00Z');
  for (let done = 0; done < TRACKS; done += BATCH) {
    const n = Math.min(BATCH, TRACKS - done);
    const tracks: Insertable<Database['tracks']>[] = [];
    const assets: Insertable<Database['assets']>[] = [];
    const versions: Insertable<Database['trackVersions']>[] = [];
    const vectors: Insertable<Database['embeddings']>[] = [];
    for (let i = 0; i < n; i++) {
      const at = new Date(base + (done + i) * 1000).toISOString();
      const id = uuidv7(base + (done + i) * 1000);
      const assetId = uuidv7();
      const versionId = uuidv7();
      ids.push(id);
      const title = `${pick(WORDS)} ${pick(WORDS)}${random() < 0.5 ? ` ${pick(WORDS)}` : ''}`;
      tracks.push({
        id, tenantId: tenant.id, ownerUserId: user.id, title, artist: `${pick(WORDS)} band`, genre: pick(GENRES),
        bpm: Math.round(70 + random() * 100), musicalKey: 'A minor', durationMs: 180_000 + i, visibility: 'private', status: 'active',
        currentVersionId: versionId, metadata: '{}', userTags: JSON.stringify([`mood:${pick(MOODS)}`]), createdAt: at, updatedAt: at,
      });
      assets.push({ id: assetId, tenantId: tenant.id, trackId: id, ownerUserId: user.id, kind: 'audio', status: 'uploaded', storageKey: `t/${tenant.id}/tracks/${id}/sources/${versionId}/track.wav`, fileName: 'track.wav', contentType: 'audio/wav', size: 31_000_000, metadata: '{}', createdAt: at, updatedAt: at });
      versions.push({ id: versionId, tenantId: tenant.id, trackId: id, assetId, label: null, isOriginal: 1, createdAt: at });
      const v = new Float32Array(DIMS);
      for (let d = 0; d < DIMS; d++) v[d] = random() * 2 - 1;
      vectors.push({ assetId, tenantId: tenant.id, trackId: id, dims: DIMS, vector: Buffer.from(v.buffer).toString('base64'), createdAt: at });
    }
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('tracks').values(tracks).execute();
      await tx.insertInto('assets').values(assets).execute();
      await tx.insertInto('trackVersions').values(versions).execute();
      await tx.insertInto('embeddings').values(vectors).execute();
    });
  }
  process.stdout.write(`seeded ${TRACKS} tracks with ${DIMS}-d vectors in ${((Date.now() - started) / 1000).toFixed(1)} s (${bench.container.dbKind})\n`);

  const listUrl = `${bench.base}/api/swayzio/v1/tracks?limit=50`;
  const searchUrl = `${bench.base}/api/swayzio/v1/search/tracks`;
  const page = await fetch(listUrl, { headers });
  const pageBody = await page.text();
  const parsed = JSON.parse(pageBody) as { records: unknown[]; totalCount: number };
  if (page.status !== 200 || parsed.records.length !== 50 || parsed.totalCount !== TRACKS) throw new Error(`unexpected page: ${page.status} ${pageBody.slice(0, 200)}`);

  const keyword = (i: number) => JSON.stringify({ query: WORDS[i % WORDS.length], mode: 'keyword', limit: 20 });
  const similar = (i: number) => JSON.stringify({ mode: 'similar', similarToTrackId: ids[(i * 7919) % ids.length], limit: 20 });
  // The first similar search loads the vector matrix; it is timed on its own.
  const warmStart = Date.now();
  const warm = await fetch(searchUrl, { method: 'POST', headers, body: similar(0) });
  if (warm.status !== 200) throw new Error(`similar search answered ${warm.status}: ${await warm.text()}`);
  const warmMs = Date.now() - warmStart;
  const sample = JSON.parse(await (await fetch(searchUrl, { method: 'POST', headers, body: keyword(0) })).text()) as { records: unknown[] };
  if (sample.records.length === 0) throw new Error('keyword search found nothing');

  const bare = await bareServer(pageBody);
  try {
    await load(bare.url, { duration: 1 });
    await load(listUrl, { duration: 1, headers });
    const baseline = await load(bare.url, { duration: DURATION });
    const list = await load(listUrl, { duration: DURATION, headers });
    if (list.non2xx || list.errors) throw new Error(`list run had ${list.non2xx} non-2xx and ${list.errors} errors`);
    printLine('workspace GET /v1/tracks?limit=50', {
      'ledgerline req/s': list.rps.toFixed(0),
      'bare req/s': baseline.rps.toFixed(0),
      ratio: `${(list.rps / baseline.rps).toFixed(2)}x`,
      target: '>= 0.3x',
      'body bytes': pageBody.length,
    });
  } finally {
    await bare.close();
  }

  const post = (body: string) => fetch(searchUrl, { method: 'POST', headers, body });
  for (const [name, body] of [['keyword', keyword], ['similar', similar]] as const) {
    const seq = await sequential(200, (i) => post(body(i + 1)));
    const loaded = await load(searchUrl, { duration: DURATION, method: 'POST', headers, body: body(3), connections: 4 });
    printLine(`workspace search ${name} over ${TRACKS}`, {
      'p50 ms': seq.p50.toFixed(1),
      'p95 ms': seq.p95.toFixed(1),
      'max ms': seq.max.toFixed(1),
      target: 'p95 < 50 ms',
      'req/s (4 connections)': loaded.rps.toFixed(0),
      ...(name === 'similar' ? { 'first search (loads vectors) ms': warmMs } : {}),
    });
  }
} finally {
  await bench.close();
}
