/**
 * AudioDN reads on a catalog of 100,000 processed tracks in one collection (SQLite):
 * `GET /v1/track/{id}` throughput vs a bare Fastify route returning a same-size body
 * (target ratio >= 0.5), and `GET /v1/collection/{id}/track?limit=50&offset=90000` latency
 * (target p99 < 20 ms, one connection so the figure is service time, not queueing).
 * Run: npx tsx bench/collections-read.ts   (BENCH_DURATION seconds per run, default 5)
 * Throughput is the median of three alternating rounds. It reports; it never fails the run.
 */
import os from 'node:os';
import SQLite from 'better-sqlite3';
import { uuidv7 } from '../src/domain/ids.js';
import { bareServer, compare, load, printLine, realApp } from './lib/http.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const TRACKS = Number(process.env.BENCH_TRACKS ?? 100_000);
// Lyrics and stems run on request only; a freshly processed track has these lanes.
const LANES = ['probe', 'waveform', 'playback', 'tags', 'embeddings'] as const;

const bench = await realApp();
try {
  const { identity } = bench.container.services;
  const tenant = await identity.createTenant({ name: 'bench' });
  const { key } = await identity.createApiKey({ tenantId: tenant.id, type: 'server' });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const created = await fetch(`${bench.base}/v1/collection`, { method: 'POST', headers, body: JSON.stringify({ title: 'Bench', player_color: '#3366ff' }) });
  const collectionId = ((await created.json()) as { collection_id: string }).collection_id;

  // Tracks as the pipeline leaves them: a source asset, a current version, every lane finished.
  // Written through a second connection with prepared statements: seeding is not what is measured.
  const started = Date.now();
  const cfg = bench.container.config.database;
  if (cfg.kind !== 'sqlite') throw new Error('this benchmark runs on SQLite');
  const raw = new SQLite(cfg.file);
  raw.pragma('journal_mode = WAL');
  const insert = {
    track: raw.prepare(`insert into tracks (id, tenant_id, owner_user_id, collection_id, title, duration_ms, visibility, status, current_version_id, metadata, user_tags, created_at, updated_at)
      values (?, ?, null, ?, ?, ?, 'private', 'active', ?, '{}', '[]', ?, ?)`),
    extras: raw.prepare(`insert into collection_tracks (track_id, tenant_id, file_name, metadata, player_title, player_color, player_color_source, created_at, updated_at)
      values (?, ?, ?, ?, ?, '#aa3300', 'client', ?, ?)`),
    asset: raw.prepare(`insert into assets (id, tenant_id, track_id, kind, status, storage_key, file_name, content_type, size, metadata, created_at, updated_at)
      values (?, ?, ?, 'audio', 'uploaded', ?, 'track.wav', 'audio/wav', 31000000, '{}', ?, ?)`),
    version: raw.prepare('insert into track_versions (id, tenant_id, track_id, asset_id, is_original, created_at) values (?, ?, ?, ?, 1, ?)'),
    lane: raw.prepare(`insert into processing_lanes (id, tenant_id, track_id, asset_id, lane, status, attempts, result, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 1, '{}', ?, ?)`),
  };
  const ids: string[] = [];
  const base = Date.parse('2024-01-01T00:00:00Z');
  raw.transaction(() => {
    for (let i = 0; i < TRACKS; i++) {
      const at = new Date(base + i * 1000).toISOString();
      const id = uuidv7(base + i * 1000);
      const assetId = uuidv7();
      const versionId = uuidv7();
      ids.push(id);
      insert.track.run(id, tenant.id, collectionId, `Track ${i}`, 180_000 + i, versionId, at, at);
      insert.extras.run(id, tenant.id, `track-${i}.wav`, JSON.stringify({ n: i }), `Player ${i}`, at, at);
      insert.asset.run(assetId, tenant.id, id, `t/${tenant.id}/tracks/${id}/sources/${versionId}/track.wav`, at, at);
      insert.version.run(versionId, tenant.id, id, assetId, at);
      for (const lane of LANES) insert.lane.run(uuidv7(), tenant.id, id, assetId, lane, 'succeeded', at, at);
    }
  })();
  raw.close();
  process.stdout.write(`seeded ${TRACKS} tracks in ${((Date.now() - started) / 1000).toFixed(1)} s; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores\n`);

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
