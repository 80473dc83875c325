/**
 * Another process writing to the catalog at a steady rate, as lanes and players do: each tick
 * marks a processing lane of a random track as updated or records a play of one. Run as a child
 * of a benchmark: `tsx bench/lib/background-writer.ts <config JSON file>`; it prints the rows it wrote
 * each second and stops when its parent closes stdin.
 */
import { readFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { uuidv7 } from '../../src/domain/ids.js';

interface WriterConfig {
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };
  tenantId: string;
  trackIds: string[];
  rowsPerSecond: number;
}

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8')) as WriterConfig;
const pick = () => cfg.trackIds[Math.floor(Math.random() * cfg.trackIds.length)];
const LANE = `update processing_lanes set attempts = attempts + 1, updated_at = $1 where track_id = $2 and lane = 'waveform'`;
const PLAY = `insert into track_events (id, tenant_id, track_id, type, share_link_id, actor_user_id, meta, created_at) values ($1, $2, $3, 'play', null, null, '{}', $4)`;

let write: (n: number) => Promise<void>;
let close: () => Promise<void>;
if (cfg.database.kind === 'sqlite') {
  const db = new SQLite(cfg.database.file);
  db.pragma('busy_timeout = 5000');
  const lane = db.prepare(LANE.replace(/\$\d/g, '?'));
  const play = db.prepare(PLAY.replace(/\$\d/g, '?'));
  write = async (n) => {
    const at = new Date().toISOString();
    if (n % 2) lane.run(at, pick());
    else play.run(uuidv7(), cfg.tenantId, pick(), at);
  };
  close = async () => void db.close();
} else {
  const { url, schema } = cfg.database;
  const client = new pg.Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  write = async (n) => {
    const at = new Date().toISOString();
    if (n % 2) await client.query(LANE, [at, pick()]);
    else await client.query(PLAY, [uuidv7(), cfg.tenantId, pick(), at]);
  };
  close = () => client.end();
}

let n = 0;
let stopped = false;
const started = Date.now();
process.stdin.on('close', () => void (stopped = true));
process.stdin.resume();
while (!stopped) {
  // Paced against the start, so a slow write is caught up rather than lowering the rate.
  const due = started + (n * 1000) / cfg.rowsPerSecond;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  await write(n++);
  if (n % cfg.rowsPerSecond === 0) process.stdout.write(`${n}\n`);
}
await close();
