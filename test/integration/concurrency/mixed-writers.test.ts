import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidGtin } from '../../../src/domain/identifiers.js';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { freePort, startServer, type ServerProcess } from '../../helpers/server-process.js';
import { client, createTrack } from '../workspace/workspace-api.js';

interface Answer {
  statusCode: number;
  body: string;
  json: () => any;
}
/** Sends writer `i`'s request: in-process, or to one of several server processes. */
type Send = (i: number, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => Promise<Answer>;

/**
 * Two hundred writers at once, of every kind, against one catalog: no 5xx (SQLite's busy
 * handling, PostgreSQL's serialization), no lost update of a release's track order or a split
 * sheet, no duplicate UPC or ISRC.
 */
describe.each(dialects())('200 mixed concurrent writers (%s)', (dialect) => {
  let t: TestApp;
  let h: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    h = bearer(await t.token({ role: 'owner' }));
  });
  afterAll(async () => t?.close());

  it('keeps every invariant', async () => {
    await mixedWriters(t, h, (_i, method, url, payload) => t.app.inject({ method, url, headers: h, ...(payload ? { payload } : {}) }));
  }, 180_000);

  // Two server processes on one database: SQLite's busy handling between processes, PostgreSQL's locks.
  it('keeps every invariant with the writers split over two server processes', async () => {
    const env: Record<string, string> = {
      DATA_DIR: t.dataDir,
      JWT_SECRET: t.config.jwt.secret,
      PUBLIC_URL: 'http://ledgerline.test',
      RUN_MODE: 'api',
      ...(t.schema ? { DATABASE_URL: t.config.database.kind === 'postgres' ? t.config.database.url : '', DATABASE_SCHEMA: t.schema } : {}),
    };
    const servers: ServerProcess[] = [];
    try {
      for (let n = 0; n < 2; n++) servers.push(await startServer(env, await freePort()));
      await mixedWriters(t, h, async (i, method, url, payload) => {
        const res = await fetch(`${servers[i % 2]!.base}${url}`, {
          method,
          headers: { ...h, ...(payload ? { 'content-type': 'application/json' } : {}) },
          ...(payload ? { body: JSON.stringify(payload) } : {}),
        });
        const body = await res.text();
        return { statusCode: res.status, body, json: () => JSON.parse(body) };
      });
    } finally {
      for (const s of servers) await s.kill();
    }
  }, 240_000);
});

/** The 200 writers and the invariants they must leave standing. */
let runs = 0;
async function mixedWriters(t: TestApp, h: Record<string, string>, remote: Send): Promise<void> {
  // Each run in its own ISRC range, so runs on one database do not collide.
  const run = ++runs;
  const sameIsrc = `USLL12${run}99999`;
    const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url, headers: h, ...(payload ? { payload } : {}) });
    const release = (await send('POST', '/releases', { title: 'Busy', displayArtist: 'Crowd', tracks: Array.from({ length: 5 }, (_, i) => ({ title: `T${i + 1}`, displayArtist: 'Crowd' })) })).json().data;
    const original: string[] = release.tracks.map((x: { id: string }) => x.id);
    const ws = client(t, h.authorization.slice('Bearer '.length));
    const trackId = await createTrack(t, ws, { name: 'Shared.wav', bytes: toneBytes({ seconds: 1 }) });
    const people: string[] = [];
    for (const name of ['Ada', 'Ben', 'Cy', 'Di']) people.push((await ws.post('/collaborators', { name })).json().id);
    /** Sheet k: the four people with shares that only sheet k has, master and writers alike. */
    const sheet = (k: number) => {
      const a = 10 + (k % 40);
      const shares = [a, 20, 30, 100 - a - 50];
      const rows = people.map((collaboratorId, i) => ({ collaboratorId, percentage: shares[i] }));
      return { master: rows, writers: [...rows].reverse(), publishers: [] };
    };

    const shuffle = <T>(xs: T[], seed: number) => xs.map((x, i) => [x, Math.sin(seed * 97 + i) * 10_000 % 1] as const).sort((p, q) => p[1] - q[1]).map(([x]) => x);
    const jobs: Array<{ kind: string; run: () => Promise<Answer> }> = [];
    for (let i = 0; i < 40; i++) jobs.push({ kind: 'reorder', run: () => remote(i, 'POST', `/releases/${release.id}/tracks/reorder`, { trackOrder: shuffle(original, i) }) });
    for (let i = 0; i < 20; i++) jobs.push({ kind: 'add-track', run: () => remote(i, 'POST', `/releases/${release.id}/tracks`, { title: `Added ${i}`, displayArtist: 'Crowd' }) });
    for (let i = 0; i < 40; i++) jobs.push({ kind: 'split-sheet', run: () => remote(i, 'PUT', `/api/swayzio/v1/tracks/${trackId}/split-sheet`, sheet(i)) });
    for (let i = 0; i < 40; i++) jobs.push({ kind: 'product', run: () => remote(i, 'POST', '/product', { title: `Product ${i}` }) });
    for (let i = 0; i < 20; i++) jobs.push({ kind: 'same-isrc', run: () => remote(i, 'POST', '/asset', { title: `Same ${i}`, isrc: sameIsrc }) });
    for (let i = 0; i < 20; i++) jobs.push({ kind: 'own-isrc', run: () => remote(i, 'POST', '/asset', { title: `Own ${i}`, isrc: `USLL12${run}${10000 + i}` }) });
    for (let i = 0; i < 20; i++) jobs.push({ kind: 'artist', run: () => remote(i, 'POST', '/artist', { artistName: `Artist ${i}` }) });
    expect(jobs).toHaveLength(200);

    const order = shuffle(jobs, 7);
    const results = await Promise.all(order.map(async (j) => ({ kind: j.kind, res: await j.run() })));
    const of = (kind: string) => results.filter((r) => r.kind === kind).map((r) => r.res);

    expect(results.filter((r) => r.res.statusCode >= 500).map((r) => `${r.kind}: ${r.res.statusCode} ${r.res.body.slice(0, 160)}`)).toEqual([]);

    // The release: every added track is there, numbered 1..n without a gap or a repeat.
    const added = of('add-track').filter((r) => r.statusCode === 201).length;
    expect(added).toBe(20);
    const tracks = (await send('GET', `/releases/${release.id}/tracks`)).json().data as Array<{ id: string; trackNumber: number }>;
    expect(tracks).toHaveLength(25);
    expect(tracks.map((x) => x.trackNumber).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(new Set(tracks.map((x) => x.id)).size).toBe(25);
    // A reorder either applied whole or was refused (a stale list once tracks were added).
    for (const r of of('reorder')) expect([200, 400, 409]).toContain(r.statusCode);

    // The split sheet is exactly one writer's sheet, not a mix of several.
    expect(of('split-sheet').every((r) => r.statusCode === 200)).toBe(true);
    const stored = (await ws.get(`/tracks/${trackId}/split-sheet`)).json();
    const pick = (rows: Array<{ collaboratorId: string; percentage: number }>) => rows.map((r) => [r.collaboratorId, Number(r.percentage)]);
    const matches = Array.from({ length: 40 }, (_, k) => sheet(k)).filter(
      (s) => JSON.stringify(pick(stored.master ?? stored.data?.master)) === JSON.stringify(pick(s.master)) && JSON.stringify(pick(stored.writers ?? stored.data?.writers)) === JSON.stringify(pick(s.writers)),
    );
    expect(matches.length, JSON.stringify(stored).slice(0, 400)).toBeGreaterThan(0);

    // Products: each got its own valid UPC.
    const products = of('product');
    expect(products.every((r) => r.statusCode === 201)).toBe(true);
    const upcs = products.map((r) => r.json().data.upc as string);
    expect(new Set(upcs).size).toBe(40);
    expect(upcs.every(isValidGtin)).toBe(true);

    // One ISRC, one asset: the first writer wins, every other is told it is taken.
    const same = of('same-isrc').map((r) => r.statusCode).sort();
    expect(same.filter((s) => s === 201)).toHaveLength(1);
    expect(same.filter((s) => s === 409)).toHaveLength(19);
    expect(of('own-isrc').every((r) => r.statusCode === 201)).toBe(true);
    expect(of('artist').every((r) => r.statusCode === 201)).toBe(true);
    const withIsrc = (await send('GET', '/asset?size=100')).json().data.filter((a: { isrc?: string | null }) => a.isrc === sameIsrc);
    expect(withIsrc).toHaveLength(1);
}
