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
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from '../src/domain/ids.js';
import { bareServer, compare, load, printLine, realApp } from './lib/http.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const TRACKS = Number(process.env.BENCH_TRACKS ?? 100_000);
// Lyrics and stems run on request only; a freshly processed track has these lanes.
const LANES = ['probe', 'waveform', 'playback', 'tags', 'embeddings'] as const;

// BENCH_DATABASE_URL runs it on PostgreSQL instead (a schema of its own, dropped afterwards).
const pgUrl = process.env.BENCH_DATABASE_URL;
const pgSchema = `bench_${Date.now().toString(36)}`;
const bench = await realApp(pgUrl ? { DATABASE_URL: pgUrl, DATABASE_SCHEMA: pgSchema } : {});
try {
  const { identity } = bench.container.services;
  const tenant = await identity.createTenant({ name: 'bench' });
  const { key } = await identity.createApiKey({ tenantId: tenant.id, type: 'server' });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const created = await fetch(`${bench.base}/v1/collection`, { method: 'POST', headers, body: JSON.stringify({ title: 'Bench', player_color: '#3366ff' }) });
  const collectionId = ((await created.json()) as { collection_id: string }).collection_id;

  // Tracks as the pipeline leaves them: a source asset, a current version, every lane finished.
  // Written through a second connection: seeding is not what is measured.
  const started = Date.now();
  const cfg = bench.container.config.database;
  const ids = cfg.kind === 'sqlite' ? seedSqlite(cfg.file, tenant.id, collectionId) : await seedPostgres(cfg.url, cfg.schema, tenant.id, collectionId);
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
  if (pgUrl) {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${pgSchema} cascade`);
    await admin.end();
  }
}

interface SeedRow {
  id: string;
  assetId: string;
  versionId: string;
  at: string;
  i: number;
}

function seedRows(): SeedRow[] {
  const base = Date.parse('2024-01-01T00:00:00Z');
  return Array.from({ length: TRACKS }, (_, i) => ({ id: uuidv7(base + i * 1000), assetId: uuidv7(), versionId: uuidv7(), at: new Date(base + i * 1000).toISOString(), i }));
}

function seedSqlite(file: string, tenantId: string, collectionId: string): string[] {
  const raw = new SQLite(file);
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
  const rows = seedRows();
  raw.transaction(() => {
    for (const r of rows) {
      insert.track.run(r.id, tenantId, collectionId, `Track ${r.i}`, 180_000 + r.i, r.versionId, r.at, r.at);
      insert.extras.run(r.id, tenantId, `track-${r.i}.wav`, JSON.stringify({ n: r.i }), `Player ${r.i}`, r.at, r.at);
      insert.asset.run(r.assetId, tenantId, r.id, `t/${tenantId}/tracks/${r.id}/sources/${r.versionId}/track.wav`, r.at, r.at);
      insert.version.run(r.versionId, tenantId, r.id, r.assetId, r.at);
      for (const lane of LANES) insert.lane.run(uuidv7(), tenantId, r.id, r.assetId, lane, 'succeeded', r.at, r.at);
    }
  })();
  raw.close();
  return rows.map((r) => r.id);
}

/** The same rows on PostgreSQL, one `unnest` insert per table. */
async function seedPostgres(url: string, schema: string | undefined, tenantId: string, collectionId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    const rows = seedRows();
    const col = <K extends keyof SeedRow>(k: K) => rows.map((r) => r[k]);
    await client.query('begin');
    await client.query(
      `insert into tracks (id, tenant_id, owner_user_id, collection_id, title, duration_ms, visibility, status, current_version_id, metadata, user_tags, created_at, updated_at)
       select id, $2, null, $3, 'Track ' || i, 180000 + i, 'private', 'active', v, '{}', '[]', at, at from unnest($1::text[], $4::text[], $5::text[], $6::int[]) as x(id, v, at, i)`,
      [col('id'), tenantId, collectionId, col('versionId'), col('at'), col('i')],
    );
    await client.query(
      `insert into collection_tracks (track_id, tenant_id, file_name, metadata, player_title, player_color, player_color_source, created_at, updated_at)
       select id, $2, 'track-' || i || '.wav', '{"n":' || i || '}', 'Player ' || i, '#aa3300', 'client', at, at from unnest($1::text[], $3::text[], $4::int[]) as x(id, at, i)`,
      [col('id'), tenantId, col('at'), col('i')],
    );
    await client.query(
      `insert into assets (id, tenant_id, track_id, kind, status, storage_key, file_name, content_type, size, metadata, created_at, updated_at)
       select a, $2, id, 'audio', 'uploaded', 't/' || $2 || '/tracks/' || id || '/sources/' || v || '/track.wav', 'track.wav', 'audio/wav', 31000000, '{}', at, at
       from unnest($1::text[], $3::text[], $4::text[], $5::text[]) as x(id, a, v, at)`,
      [col('id'), tenantId, col('assetId'), col('versionId'), col('at')],
    );
    await client.query(
      `insert into track_versions (id, tenant_id, track_id, asset_id, is_original, created_at) select v, $2, id, a, 1, at from unnest($1::text[], $3::text[], $4::text[], $5::text[]) as x(id, v, a, at)`,
      [col('id'), tenantId, col('versionId'), col('assetId'), col('at')],
    );
    for (const lane of LANES) {
      await client.query(
        `insert into processing_lanes (id, tenant_id, track_id, asset_id, lane, status, attempts, result, created_at, updated_at)
         select l, $2, id, a, $6, 'succeeded', 1, '{}', at, at from unnest($1::text[], $3::text[], $4::text[], $5::text[]) as x(id, a, at, l)`,
        [col('id'), tenantId, col('assetId'), col('at'), rows.map(() => uuidv7()), lane],
      );
    }
    await client.query('commit');
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}
