/**
 * AudioDN reads on a catalog of 100,000 processed tracks in one collection (SQLite, or
 * PostgreSQL with BENCH_DATABASE_URL=postgres://...):
 * `GET /v1/track/{id}` throughput vs a bare Fastify route returning a same-size body
 * (target ratio >= 0.5), and `GET /v1/collection/{id}/track?limit=50&offset=90000` latency
 * (target p99 < 20 ms, one connection so the figure is service time, not queueing).
 * Run: npx tsx bench/collections-read.ts   (BENCH_DURATION seconds per run, default 5)
 * Throughput is the median of three alternating rounds. It reports; it never fails the run.
 */
import os from 'node:os';
import { bareServer, compare, load, printLine, benchApp, serverKeyWithCollection } from './lib/http.js';
import { seedCatalog } from './lib/seed-catalog.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const TRACKS = Number(process.env.BENCH_TRACKS ?? 100_000);

const bench = await benchApp();
try {
  const { tenant, headers, collectionId } = await serverKeyWithCollection(bench, { title: 'Bench', player_color: '#3366ff' });

  // Tracks as the pipeline leaves them: a source asset, a current version, every lane finished.
  // Written through a second connection: seeding is not what is measured.
  const started = Date.now();
  const cfg = bench.container.config.database;
  const ids = await seedCatalog(cfg, { tenantId: tenant.id, collectionId, tracks: TRACKS });
  process.stdout.write(`seeded ${TRACKS} tracks (${cfg.kind}) in ${((Date.now() - started) / 1000).toFixed(1)} s; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores\n`);

  const trackUrl = `${bench.base}/v1/track/${ids[Math.floor(ids.length / 2)]}`;
  const pageUrl = `${bench.base}/v1/collection/${collectionId}/track?limit=50&offset=${Math.max(0, TRACKS - 10_000)}`;
  const trackBody = await (await fetch(trackUrl, { headers })).text();
  const page = await fetch(pageUrl, { headers });
  const pageBody = await page.text();
  const parsed = JSON.parse(pageBody) as { count: number; tracks: Array<{ track_status_id: string }> };
  if (page.status !== 200 || parsed.count !== TRACKS || parsed.tracks.length !== 50 || parsed.tracks.some((t) => t.track_status_id !== 'ready')) {
    throw new Error(`unexpected page: ${page.status} ${pageBody.slice(0, 200)}`);
  }

  const bareTrack = await bareServer(trackBody);
  const barePage = await bareServer(pageBody);
  try {
    await load(bareTrack.url, { duration: 1 });
    await load(trackUrl, { duration: 1, headers });
    const run = await compare(bareTrack.url, trackUrl, { duration: DURATION, headers });
    printLine('collections-read GET /v1/track/{id}', {
      'ledgerline req/s': run.subject.rps.toFixed(0),
      'bare req/s': run.baseline.rps.toFixed(0),
      ratio: run.ratio.toFixed(2),
      target: '>= 0.50',
      rounds: run.ratios.map((r) => r.toFixed(2)).join('/'),
      'p99 ms': `${run.subject.p99} vs ${run.baseline.p99}`,
      'body bytes': trackBody.length,
    });

    const basePage = await load(barePage.url, { duration: DURATION, connections: 1 });
    const pageRun = await load(pageUrl, { duration: DURATION, headers, connections: 1 });
    if (pageRun.non2xx || pageRun.errors) throw new Error(`page run had ${pageRun.non2xx} non-2xx and ${pageRun.errors} errors`);
    printLine(`collections-read GET /v1/collection/{id}/track?limit=50&offset=${TRACKS - 10_000}`, {
      'p99 ms': pageRun.p99,
      target: '< 20',
      'p50 ms': pageRun.p50,
      'ledgerline req/s': pageRun.rps.toFixed(0),
      'bare req/s': basePage.rps.toFixed(0),
      ratio: (pageRun.rps / basePage.rps).toFixed(2),
      'body bytes': pageBody.length,
    });
  } finally {
    await bareTrack.close();
    await barePage.close();
  }
} finally {
  await bench.close();
}
