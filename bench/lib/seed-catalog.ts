/**
 * Tracks as the pipeline leaves them (a source asset, a current version, every lane finished),
 * written straight into a bench app's database through a connection of their own: seeding is
 * not what a benchmark measures.
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../../src/config.js';
import { uuidv7 } from '../../src/domain/ids.js';

/** Lyrics and stems run on request only; a freshly processed track has these lanes. */
export const SEEDED_LANES = ['probe', 'waveform', 'playback', 'tags', 'embeddings'] as const;
const LANES = SEEDED_LANES;

export interface SeedOptions {
  tenantId: string;
  collectionId: string;
  tracks: number;
}

/** Seeds `tracks` processed tracks into the collection; returns their ids in filing order. */
export function seedCatalog(cfg: Config['database'], opts: SeedOptions): Promise<string[]> {
  return cfg.kind === 'sqlite' ? Promise.resolve(seedSqlite(cfg.file, opts)) : seedPostgres(cfg.url, cfg.schema, opts);
}

interface SeedRow {
  id: string;
  assetId: string;
  versionId: string;
  at: string;
  i: number;
}

function seedRows(count: number): SeedRow[] {
  const base = Date.parse('2024-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => ({ id: uuidv7(base + i * 1000), assetId: uuidv7(), versionId: uuidv7(), at: new Date(base + i * 1000).toISOString(), i }));
}

function seedSqlite(file: string, { tenantId, collectionId, tracks }: SeedOptions): string[] {
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
  const rows = seedRows(tracks);
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
async function seedPostgres(url: string, schema: string | undefined, { tenantId, collectionId, tracks }: SeedOptions): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    const rows = seedRows(tracks);
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
    // As autovacuum would soon: without statistics the planner guesses at a catalog this size.
    await client.query('analyze');
    return rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}
