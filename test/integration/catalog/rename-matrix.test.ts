import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { catalog, createOn, listOn, readOn, renameOn, SURFACES, type Catalog, type Surface } from './surfaces.js';

/**
 * Invariant 3: a title edited through any surface (AudioDN `PUT /v1/track/:id`, Swayzio
 * `PATCH /v1/tracks/:id/metadata`, Royalti `PUT /asset/:id`) is what the other two answer on the
 * very next read, by id and in their listings.
 */
interface RenameCase {
  name: string;
  edits: Surface;
  reads: Surface;
}

const CASES: RenameCase[] = [
  { name: 'edited on collections, read on workspace', edits: 'collections', reads: 'workspace' },
  { name: 'edited on collections, read on distribution', edits: 'collections', reads: 'distribution' },
  { name: 'edited on workspace, read on collections', edits: 'workspace', reads: 'collections' },
  { name: 'edited on workspace, read on distribution', edits: 'workspace', reads: 'distribution' },
  { name: 'edited on distribution, read on collections', edits: 'distribution', reads: 'collections' },
  { name: 'edited on distribution, read on workspace', edits: 'distribution', reads: 'workspace' },
];

/**
 * Cells that fail against the current code (defects to fix in src/): the Swayzio track list keeps
 * serving the old title after an edit made through AudioDN or Royalti, while Swayzio's
 * `GET /v1/tracks/:id` already shows the new one (the list cache is only cleared by Swayzio's own
 * writes; a change elsewhere is noticed once the shared fingerprint read expires).
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The title a listing shows for one track. */
async function listedTitle(c: Catalog, s: Surface, id: string): Promise<string | undefined> {
  const url = s === 'collections' ? `/v1/collection/${c.collectionId}/track?limit=200` : s === 'workspace' ? '/api/swayzio/v1/tracks?limit=100' : '/asset?size=100';
  const r = await c.t.app.inject({ url, headers: c.auth });
  const rows: Array<{ id: string; title: string }> = s === 'collections' ? r.json().tracks : s === 'workspace' ? r.json().records : r.json().data;
  return rows.find((x) => x.id === id)?.title;
}

describe.each(dialects())('catalog invariant: a title edited on one surface is read on the others (%s)', (dialect) => {
  let t: TestApp;
  let c: Catalog;
  // One track per creating surface, so every editor is tried on tracks of every origin.
  const tracks: Record<Surface, string> = {} as Record<Surface, string>;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    await t.container.startWorkers();
    c = await catalog(t, toneBytes({ seconds: 1 }), 'rename');
    for (const s of SURFACES) tracks[s] = (await createOn(c, s, `Made on ${s}`)).id;
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
  });
  afterAll(async () => t?.close());

  for (const [i, k] of CASES.entries()) {
    for (const origin of SURFACES) {
      const name = `${k.name} (track created on ${origin})`;
      it(name, async () => {
        const id = tracks[origin];
        // Every surface has read (and may have cached) the old title first; the reading surface last.
        for (const s of SURFACES.filter((x) => x !== k.reads)) {
          expect((await readOn(c, s, id)).status).toBe(200);
          expect(await listedTitle(c, s, id)).toBeDefined();
        }
        // A pause, so the reader's last read is not one a read from an earlier case could stand in for.
        await sleep(250);
        expect((await readOn(c, k.reads, id)).status).toBe(200);
        expect(await listedTitle(c, k.reads, id)).toBeDefined();
        const title = `Renamed ${i} on ${k.edits} (${origin})`;
        const res = await renameOn(c, k.edits, id, title);
        expect(res.status, res.raw.body).toBe(200);
        // The very next read on the other surface: its listing, then the track by id.
        expect.soft(await listedTitle(c, k.reads, id), `${k.reads} listing`).toBe(title);
        expect.soft((await readOn(c, k.reads, id)).title, `GET on ${k.reads}`).toBe(title);
        expect.soft((await readOn(c, k.edits, id)).title, `GET on ${k.edits} (the editor)`).toBe(title);
        expect.soft((await listOn(c, k.reads)).ids).toContain(id);
      });
    }
  }
});
