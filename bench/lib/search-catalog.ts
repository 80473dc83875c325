/**
 * A synthetic catalog for search benchmarks: titles from a vocabulary sized so that one word
 * matches a few hundred tracks, artists, genre and mood tags, a few rare words, and
 * 64-value embeddings grouped as real ones are (genre, then style within a genre, then the track),
 * L2-normalised and stored as the embeddings lane stores them (base64 little-endian Float32Array).
 * Rows are written through a second connection: seeding is not what is measured.
 */
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from '../../src/domain/ids.js';

export const DIMS = 64;
const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';
const GENRES = ['Ambient', 'Rock', 'Jazz', 'Electronic', 'Folk', 'HipHop', 'Classical', 'Pop', 'Soul', 'Metal', 'Reggae', 'Latin'];
const MOODS = ['calm', 'tense', 'happy', 'dark', 'dreamy', 'epic', 'sad', 'playful'];
const ENSEMBLES = ['Band', 'Trio', 'Collective', 'Orchestra', 'Quartet', 'Project', 'Sound', 'Club'];
const ARTISTS = 20_000;
const STYLES_PER_GENRE = 16;
export const RARE_WORDS = ['quokka', 'xylophonic', 'zephyrine', 'quixotry', 'jubjubbird', 'wyvernfold', 'kumquatic', 'yggdrasil'];

/** Deterministic pseudo-random numbers, so runs compare. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function syllableWord(n: number, syllables: number): string {
  let out = '';
  for (let i = 0; i < syllables; i++) {
    const s = n % (CONSONANTS.length * VOWELS.length);
    n = Math.floor(n / (CONSONANTS.length * VOWELS.length));
    out += CONSONANTS[s % CONSONANTS.length] + VOWELS[Math.floor(s / CONSONANTS.length)];
  }
  return out;
}

export interface CatalogRow {
  id: string;
  assetId: string;
  versionId: string;
  at: string;
  title: string;
  artist: string;
  genre: string;
  userTags: string;
  bpm: number;
  vector: string;
}

export interface Catalog {
  rows: CatalogRow[];
  /** Title words in 200..600 titles each (the words of one title are distinct). */
  commonWords: string[];
  /** Words that are in one to three titles. */
  rareWords: string[];
}

export function makeCatalog(count: number, seed = 42): Catalog {
  const random = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  // Three-syllable title words: none is a prefix of another, so a prefix query matches one word.
  // About 2.5 words a title over the vocabulary: each word is in about 300 titles, whatever the count.
  const VOCABULARY = Math.max(100, Math.round((count * 2.5) / 300));
  const words = Array.from({ length: VOCABULARY }, (_, i) => syllableWord(i * 37 + 11, 3));
  const artists = Array.from({ length: ARTISTS }, (_, i) => `${syllableWord(i * 7 + 3, 2)} ${ENSEMBLES[i % ENSEMBLES.length]}`);
  const genreCenters = GENRES.map(() => Float64Array.from({ length: DIMS }, gauss));
  const styles = genreCenters.map((g) => Array.from({ length: STYLES_PER_GENRE }, () => g.map((x) => x + 0.7 * gauss())));
  const uses = new Int32Array(VOCABULARY);
  const base = Date.parse('2023-01-01T00:00:00Z');
  const rows: CatalogRow[] = [];
  const v = new Float32Array(DIMS);
  for (let i = 0; i < count; i++) {
    const picked = new Set<number>();
    const n = random() < 0.5 ? 2 : 3;
    while (picked.size < n) picked.add(Math.floor(random() * VOCABULARY));
    for (const w of picked) uses[w]++;
    const rare = i % 250_007 === 17 ? ` ${RARE_WORDS[Math.floor(i / 250_007) % RARE_WORDS.length]}` : '';
    const title = [...picked].map((w) => words[w][0].toUpperCase() + words[w].slice(1)).join(' ') + rare;
    const genre = Math.floor(random() * GENRES.length);
    const style = styles[genre][Math.floor(random() * STYLES_PER_GENRE)];
    let norm = 0;
    for (let d = 0; d < DIMS; d++) {
      v[d] = style[d] + 0.6 * gauss();
      norm += v[d] * v[d];
    }
    for (let d = 0; d < DIMS; d++) v[d] /= Math.sqrt(norm);
    const ms = base + i * 1000;
    rows.push({
      id: uuidv7(ms),
      assetId: uuidv7(ms),
      versionId: uuidv7(ms),
      at: new Date(ms).toISOString(),
      title,
      artist: artists[Math.floor(random() * ARTISTS)],
      genre: GENRES[genre],
      userTags: JSON.stringify([`mood:${MOODS[Math.floor(random() * MOODS.length)]}`]),
      bpm: Math.round(70 + random() * 100),
      vector: Buffer.from(v.buffer.slice(0)).toString('base64'),
    });
  }
  const commonWords = words.filter((_, w) => uses[w] >= 200 && uses[w] <= 600);
  const rareWords = RARE_WORDS.filter((_, k) => k * 250_007 + 17 < count);
  return { rows, commonWords, rareWords };
}

export function seedSqlite(file: string, tenantId: string, ownerUserId: string, rows: CatalogRow[]): void {
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  const insert = {
    track: raw.prepare(`insert into tracks (id, tenant_id, owner_user_id, title, artist, genre, bpm, musical_key, duration_ms, visibility, status, current_version_id, metadata, user_tags, created_at, updated_at)
      values (?, ?, ?, ?, ?, ?, ?, 'A minor', 180000, 'private', 'active', ?, '{}', ?, ?, ?)`),
    asset: raw.prepare(`insert into assets (id, tenant_id, track_id, owner_user_id, kind, status, storage_key, file_name, content_type, size, metadata, created_at, updated_at)
      values (?, ?, ?, ?, 'audio', 'uploaded', ?, 'track.wav', 'audio/wav', 31000000, '{}', ?, ?)`),
    version: raw.prepare('insert into track_versions (id, tenant_id, track_id, asset_id, is_original, created_at) values (?, ?, ?, ?, 1, ?)'),
    embedding: raw.prepare('insert into embeddings (asset_id, tenant_id, track_id, dims, vector, created_at) values (?, ?, ?, ?, ?, ?)'),
  };
  const chunk = raw.transaction((part: CatalogRow[]) => {
    for (const r of part) {
      insert.track.run(r.id, tenantId, ownerUserId, r.title, r.artist, r.genre, r.bpm, r.versionId, r.userTags, r.at, r.at);
      insert.asset.run(r.assetId, tenantId, r.id, ownerUserId, `t/${tenantId}/tracks/${r.id}/sources/${r.versionId}/track.wav`, r.at, r.at);
      insert.version.run(r.versionId, tenantId, r.id, r.assetId, r.at);
      insert.embedding.run(r.assetId, tenantId, r.id, DIMS, r.vector, r.at);
    }
  });
  for (let i = 0; i < rows.length; i += 50_000) chunk(rows.slice(i, i + 50_000));
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}

/** The same rows on PostgreSQL, `unnest` inserts of 20,000 rows per table at a time. */
export async function seedPostgres(url: string, schema: string | undefined, tenantId: string, ownerUserId: string, rows: CatalogRow[]): Promise<void> {
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    for (let i = 0; i < rows.length; i += 20_000) {
      const part = rows.slice(i, i + 20_000);
      const col = <K extends keyof CatalogRow>(k: K) => part.map((r) => r[k]);
      await client.query('begin');
      await client.query(
        `insert into tracks (id, tenant_id, owner_user_id, title, artist, genre, bpm, musical_key, duration_ms, visibility, status, current_version_id, metadata, user_tags, created_at, updated_at)
         select id, $2, $3, title, artist, genre, bpm, 'A minor', 180000, 'private', 'active', v, '{}', tags, at, at
         from unnest($1::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::text[], $9::text[], $10::text[]) as x(id, title, artist, genre, bpm, v, tags, at)`,
        [col('id'), tenantId, ownerUserId, col('title'), col('artist'), col('genre'), col('bpm'), col('versionId'), col('userTags'), col('at')],
      );
      await client.query(
        `insert into assets (id, tenant_id, track_id, owner_user_id, kind, status, storage_key, file_name, content_type, size, metadata, created_at, updated_at)
         select a, $2, id, $3, 'audio', 'uploaded', 't/' || $2 || '/tracks/' || id || '/sources/' || v || '/track.wav', 'track.wav', 'audio/wav', 31000000, '{}', at, at
         from unnest($1::text[], $4::text[], $5::text[], $6::text[]) as x(id, a, v, at)`,
        [col('id'), tenantId, ownerUserId, col('assetId'), col('versionId'), col('at')],
      );
      await client.query(
        `insert into track_versions (id, tenant_id, track_id, asset_id, is_original, created_at) select v, $2, id, a, 1, at from unnest($1::text[], $3::text[], $4::text[], $5::text[]) as x(id, v, a, at)`,
        [col('id'), tenantId, col('versionId'), col('assetId'), col('at')],
      );
      await client.query(
        `insert into embeddings (asset_id, tenant_id, track_id, dims, vector, created_at) select a, $2, id, ${DIMS}, vec, at from unnest($1::text[], $3::text[], $4::text[], $5::text[]) as x(id, a, vec, at)`,
        [col('id'), tenantId, col('assetId'), col('vector'), col('at')],
      );
      await client.query('commit');
    }
    for (const table of ['tracks', 'assets', 'track_versions', 'embeddings']) await client.query(`analyze ${table}`);
  } finally {
    await client.end();
  }
}

export interface SeedRequest {
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };
  tenantId: string;
  ownerUserId: string;
  count: number;
  references: number;
}

export interface SeedResult {
  /** Tracks spread over the catalog, with their stored vectors, to search with. */
  references: Array<{ id: string; vector: string }>;
  commonWords: string[];
  rareWords: string[];
}

/** Builds and writes the catalog; run in a child process so its memory is not the app's. */
export async function seedCatalog(req: SeedRequest): Promise<SeedResult> {
  const catalog = makeCatalog(req.count);
  if (req.database.kind === 'sqlite') seedSqlite(req.database.file, req.tenantId, req.ownerUserId, catalog.rows);
  else await seedPostgres(req.database.url, req.database.schema, req.tenantId, req.ownerUserId, catalog.rows);
  const step = Math.max(1, Math.floor(req.count / req.references));
  const references = Array.from({ length: req.references }, (_, i) => catalog.rows[(i * step + 7) % req.count]).map((r) => ({ id: r.id, vector: r.vector }));
  return { references, commonWords: catalog.commonWords, rareWords: catalog.rareWords };
}
