/**
 * Workspace search at scale: BENCH_TRACKS (default 1,000,000) tracks of one user in one tenant,
 * each with title, artist, genre and mood tags and a 64-value embedding (see bench/lib/search-catalog.ts).
 * Measured through HTTP on the real app (`POST /api/swayzio/v1/search/tracks`), 200 sequential
 * requests each, target p95 < 50 ms:
 * - similar-track search (`mode: similar`, a different reference track each time);
 * - keyword search for a word in a few hundred titles, and for a word in one to three;
 * the index build (first similar search after start), RSS and heap growth, recall@10 of the
 * similarity index against an exact brute-force scan, and the baselines measured in the same run:
 * a bare Fastify route answering a same-size body, and the brute-force scan alone (in process).
 * Run: npx tsx bench/search-scale.ts   (BENCH_TRACKS; BENCH_DATABASE_URL=postgres://... runs on
 * PostgreSQL in a fresh schema, dropped afterwards). It reports; it never fails the run.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { decodeVector } from '../src/services/workspace/similarity-index.js';
import { bareServer, printLine, benchApp, memberHeaders } from './lib/http.js';
import { DIMS, type SeedRequest, type SeedResult } from './lib/search-catalog.js';
import { ms, sequential, timed } from './lib/sequential.js';

const TRACKS = Number(process.env.BENCH_TRACKS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const memory = () => {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.arrayBuffers };
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const bench = await benchApp();
try {
  const { tenant, user, headers } = await memberHeaders(bench);
  const { similarity } = bench.container.modules.workspace;

  let started = Date.now();
  // Seeded from a child process: the catalog's memory is not counted as the app's.
  const request: SeedRequest = { database: bench.container.config.database, tenantId: tenant.id, ownerUserId: user.id, count: TRACKS, references: REQUESTS };
  const seeded = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lib/search-seed.ts', import.meta.url)), JSON.stringify(request)], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'] }).toString(),
  ) as SeedResult;
  const references = seeded.references.map((r) => ({ id: r.id, vector: decodeVector(r.vector, DIMS)! }));
  const { commonWords, rareWords } = seeded;
  const kind = bench.container.config.database.kind;
  process.stdout.write(
    `seeded ${TRACKS} tracks (${kind}) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${commonWords.length} words in 200-600 titles; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores\n`,
  );

  const url = `${bench.base}/api/swayzio/v1/search/tracks`;
  const post = (body: unknown) => fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const similarBody = (i: number) => ({ mode: 'similar', similarToTrackId: references[i % references.length].id, limit: 20 });
  const records = (body: string) => (JSON.parse(body) as { records: Array<{ id: string }> }).records;

  const before = memory();
  started = Date.now();
  const first = await post(similarBody(0));
  const firstBody = await first.text();
  const buildMs = Date.now() - started;
  if (first.status !== 200 || records(firstBody).length !== 20) throw new Error(`similar search answered ${first.status}: ${firstBody.slice(0, 200)}`);
  const built = memory();
  const stats = similarity.stats(tenant.id);
  started = Date.now();
  await (await post({ mode: 'keyword', query: commonWords[0], limit: 20 })).text();
  const firstKeywordMs = Date.now() - started;

  const similar = await sequential(REQUESTS, (i) => post(similarBody(i + 1)), (body) => {
    if (records(body).length !== 20) throw new Error('similar search returned fewer than 20 tracks');
  });
  const common = await sequential(REQUESTS, (i) => post({ mode: 'keyword', query: commonWords[(i + 1) % commonWords.length], limit: 20 }), (body) => {
    if (records(body).length !== 20) throw new Error('keyword search returned fewer than 20 tracks');
  });
  const rare = await sequential(REQUESTS, (i) => post({ mode: 'keyword', query: rareWords[i % rareWords.length], limit: 20 }), (body) => {
    if (records(body).length === 0) throw new Error('rare keyword search found nothing');
  });
  const after = memory();

  const bare = await bareServer(firstBody);
  const baseline = await sequential(REQUESTS, () => fetch(bare.url));
  await bare.close();

  // The same queries in process: the index, and the exact scan it replaces.
  const scope = { ownerUserId: user.id, limit: 10 };
  const indexed = await Promise.all(references.map((r) => similarity.nearest(tenant.id, r.vector, { ...scope, exclude: r.id })));
  const exact = await Promise.all(references.map((r) => similarity.nearest(tenant.id, r.vector, { ...scope, exclude: r.id, exact: true })));
  let found = 0;
  for (let i = 0; i < references.length; i++) {
    const truth = new Set(exact[i].map((h) => h.id));
    found += indexed[i].filter((h) => truth.has(h.id)).length;
  }
  const recall = found / (references.length * 10);
  const indexTime = await timed(REQUESTS, (i) => similarity.nearest(tenant.id, references[i].vector, { ...scope, exclude: references[i].id }));
  const scanTime = await timed(Math.min(REQUESTS, 50), (i) => similarity.nearest(tenant.id, references[i].vector, { ...scope, exclude: references[i].id, exact: true }));

  const ratio = (p: { p50: number }) => `${(p.p50 / baseline.p50).toFixed(1)}x bare`;
  printLine(`search-scale similar over ${TRACKS} (${kind})`, { 'p50/p95/p99 ms': ms(similar), target: 'p95 < 50', 'vs bare route p50': ratio(similar), 'recall@10': recall.toFixed(3) });
  printLine('search-scale keyword, a word in 200-600 titles', { 'p50/p95/p99 ms': ms(common), target: 'p95 < 50', 'vs bare route p50': ratio(common), 'first keyword search ms': firstKeywordMs });
  printLine('search-scale keyword, a word in 1-3 titles', { 'p50/p95/p99 ms': ms(rare), target: 'p95 < 50', 'vs bare route p50': ratio(rare) });
  printLine('search-scale similarity in process', {
    'index p50/p95 ms': `${indexTime.p50.toFixed(2)}/${indexTime.p95.toFixed(2)}`,
    'brute-force scan p50/p95 ms': `${scanTime.p50.toFixed(1)}/${scanTime.p95.toFixed(1)}`,
    speedup: `${(scanTime.p50 / indexTime.p50).toFixed(1)}x`,
  });
  printLine('search-scale index build', {
    'first similar search ms': buildMs,
    ...(stats ? { 'vectors read ms': stats.loadMs, 'k-means ms': stats.trainMs, lists: stats.lists, vectors: stats.tracks } : {}),
    'RSS growth': mib(built.rss - before.rss),
    'heap+buffers growth': mib(built.heap - before.heap),
    'RSS after all searches': mib(after.rss),
  });
  printLine('search-scale baseline', { 'bare route p50/p95/p99 ms': ms(baseline) });
} finally {
  await bench.close();
}
