/**
 * Cached reads while another process writes the catalog: `GET /v1/track/{id}` against a bare
 * Fastify route with the same body, and the workspace track list and keyword search against
 * their own idle figures, first idle and then while a second process writes 50 rows a second
 * (lane updates and plays) to other tracks of the same collection. Then the exactness check:
 * a write to *this* track by the other process is seen on the very next read.
 * Run: npx tsx bench/read-under-writes.ts   (SQLite; BENCH_DATABASE_URL=postgres://... for
 * PostgreSQL; BENCH_DURATION seconds per run, BENCH_TRACKS, BENCH_WRITES_PER_SECOND)
 * Targets: track read >= 0.5 of the bare route under writes; list and search >= 0.5 of idle.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { bareServer, compare, load, printLine, benchApp, serverKeyWithCollection } from './lib/http.js';
import { seedCatalog } from './lib/seed-catalog.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const TRACKS = Number(process.env.BENCH_TRACKS ?? 10_000);
const WRITES = Number(process.env.BENCH_WRITES_PER_SECOND ?? 50);
const here = path.dirname(fileURLToPath(import.meta.url));

const bench = await benchApp();
try {
  const { tenant, headers, collectionId } = await serverKeyWithCollection(bench);
  const cfg = bench.container.config.database;
  const ids = await seedCatalog(cfg, { tenantId: tenant.id, collectionId, tracks: TRACKS });
  const subjectId = ids[Math.floor(ids.length / 2)];
  const others = ids.filter((id) => id !== subjectId);
  const trackUrl = `${bench.base}/v1/track/${subjectId}`;
  const listUrl = `${bench.base}/api/swayzio/v1/tracks?limit=20`;
  const searchUrl = `${bench.base}/api/swayzio/v1/tracks?limit=20&query=${encodeURIComponent('Track 4321')}`;
  for (const url of [trackUrl, listUrl, searchUrl]) {
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }
  const bare = await bareServer(await (await fetch(trackUrl, { headers })).text());
  process.stdout.write(`${TRACKS} tracks on ${cfg.kind}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}\n`);

  const measure = async () => {
    const track = await compare(bare.url, trackUrl, { duration: DURATION, headers });
    const list = await load(listUrl, { duration: DURATION, headers });
    const search = await load(searchUrl, { duration: DURATION, headers });
    for (const r of [list, search]) if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx and ${r.errors} errors`);
    return { track, list, search };
  };
  try {
    await load(bare.url, { duration: 1 });
    await load(trackUrl, { duration: 1, headers });
    const idle = await measure();

    const writerConfig = path.join(mkdtempSync(path.join(os.tmpdir(), 'll-writer-')), 'writer.json');
    writeFileSync(writerConfig, JSON.stringify({ database: cfg, tenantId: tenant.id, trackIds: others, rowsPerSecond: WRITES }));
    const writer = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'lib/background-writer.ts'), writerConfig], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let written = 0;
    writer.stdout.on('data', (d: Buffer) => (written = Number(d.toString().trim().split('\n').pop())));
    await new Promise((r) => setTimeout(r, 2_000));
    const startedWrites = written;
    const startedAt = Date.now();
    const busy = await measure();
    const rate = (written - startedWrites) / ((Date.now() - startedAt) / 1000);

    // The other process renames this track; the next read must show it.
    const title = `Renamed ${Date.now()}`;
    await writeTitle(cfg, subjectId, title);
    // Reads until the rename shows: 1 means the very next read.
    let reads = 0;
    let seen = false;
    while (!seen && reads < 100) {
      reads++;
      const body = (await (await fetch(trackUrl, { headers })).json()) as { track: { title: string } };
      seen = body.track.title === title;
    }
    writer.stdin.end();
    await new Promise((r) => writer.once('exit', r));

    printLine('read-under-writes GET /v1/track/{id}', {
      'idle ratio': idle.track.ratio.toFixed(2),
      'under writes ratio': busy.track.ratio.toFixed(2),
      target: '>= 0.50',
      'req/s idle/busy/bare': `${idle.track.subject.rps.toFixed(0)}/${busy.track.subject.rps.toFixed(0)}/${busy.track.baseline.rps.toFixed(0)}`,
      'p99 ms': busy.track.subject.p99,
      'writes/s': rate.toFixed(0),
      "other process's write to this track seen on read": seen ? reads : 'NOT SEEN in 100 reads',
    });
    for (const [name, a, b] of [['GET /api/swayzio/v1/tracks', idle.list, busy.list], ['GET /api/swayzio/v1/tracks?query=', idle.search, busy.search]] as const) {
      printLine(`read-under-writes ${name}`, {
        'idle req/s': a.rps.toFixed(0),
        'under writes req/s': b.rps.toFixed(0),
        ratio: (b.rps / a.rps).toFixed(2),
        target: '>= 0.50',
        'p99 ms': `${b.p99} vs ${a.p99}`,
      });
    }
  } finally {
    await bare.close();
  }
} finally {
  await bench.close();
}

async function writeTitle(cfg: { kind: string; file?: string; url?: string; schema?: string }, id: string, title: string): Promise<void> {
  if (cfg.kind === 'sqlite') {
    const db = new SQLite(cfg.file!);
    db.pragma('busy_timeout = 5000');
    db.prepare('update tracks set title = ? where id = ?').run(title, id);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: cfg.url, ...(cfg.schema ? { options: `-c search_path=${cfg.schema}` } : {}) });
  await client.connect();
  await client.query('update tracks set title = $1 where id = $2', [title, id]);
  await client.end();
}
