import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/schema.js';
import { uuidv7 } from '../../../src/domain/ids.js';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { rng } from '../../helpers/rng.js';
import { client, type Client } from './workspace-api.js';

/** Small enough to seed in a second, large enough that every scope below is searched through the index. */
const INDEX_MIN_TRACKS = 300;
const DIMS = 16;
const CLUSTERS = 20;

interface Seeded {
  id: string;
  assetId: string;
  vector: number[];
}

const random = rng(7);
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const centers = Array.from({ length: CLUSTERS }, () => Array.from({ length: DIMS }, gauss));
const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));
const encode = (v: number[]) => Buffer.from(Float32Array.from(v).buffer).toString('base64');
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0) / (Math.hypot(...a) * Math.hypot(...b));

/** Tracks with vectors written the way the pipeline leaves them (another process, as far as the app knows). */
async function seed(t: TestApp, tenantId: string, ownerUserId: string, vectors: number[][], titleOf: (i: number) => string): Promise<Seeded[]> {
  const out: Seeded[] = [];
  // Written in the past, a millisecond apart, so a later write is newer than all of them.
  const base = Date.now() - vectors.length - 1;
  for (let done = 0; done < vectors.length; done += 200) {
    const tracks: Insertable<Database['tracks']>[] = [];
    const assets: Insertable<Database['assets']>[] = [];
    const versions: Insertable<Database['trackVersions']>[] = [];
    const embeddings: Insertable<Database['embeddings']>[] = [];
    for (let i = done; i < Math.min(vectors.length, done + 200); i++) {
      const at = new Date(base + i).toISOString();
      const id = uuidv7();
      const assetId = uuidv7();
      const versionId = uuidv7();
      tracks.push({ id, tenantId, ownerUserId, title: titleOf(i), durationMs: 1000, visibility: 'private', status: 'active', currentVersionId: versionId, metadata: '{}', userTags: '[]', createdAt: at, updatedAt: at });
      assets.push({ id: assetId, tenantId, trackId: id, ownerUserId, kind: 'audio', status: 'uploaded', storageKey: `t/${tenantId}/tracks/${id}/sources/${versionId}/a.wav`, fileName: 'a.wav', contentType: 'audio/wav', size: 1000, metadata: '{}', createdAt: at, updatedAt: at });
      versions.push({ id: versionId, tenantId, trackId: id, assetId, label: null, isOriginal: 1, createdAt: at });
      embeddings.push({ assetId, tenantId, trackId: id, dims: DIMS, vector: encode(vectors[i]), createdAt: at });
      out.push({ id, assetId, vector: vectors[i] });
    }
    await t.container.db.transaction().execute(async (tx) => {
      await tx.insertInto('tracks').values(tracks).execute();
      await tx.insertInto('assets').values(assets).execute();
      await tx.insertInto('trackVersions').values(versions).execute();
      await tx.insertInto('embeddings').values(embeddings).execute();
    });
  }
  return out;
}

/** The exact answer: every candidate compared, best first. */
const bruteForce = (candidates: Seeded[], query: number[], exclude: string, limit: number) =>
  candidates
    .filter((c) => c.id !== exclude)
    .map((c) => ({ id: c.id, similarity: cosine(c.vector, query) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, limit);

describe.each(dialects())('similarity index (%s)', (dialect) => {
  let t: TestApp;
  let alice: Client;
  let bob: Client;
  let admin: Client;
  let carol: Client;
  let acme: string;
  let alices: Seeded[];
  let bobs: Seeded[];
  let carols: Seeded[];

  const similar = async (api: Client, track: Seeded, limit = 10) => {
    const res = await api.post('/search/tracks', { mode: 'similar', similarToTrackId: track.id, limit });
    expect(res.statusCode).toBe(200);
    return res.json().records as Array<{ id: string; similarity: number }>;
  };
  const keyword = async (api: Client, query: string) => {
    const res = await api.post('/search/tracks', { mode: 'keyword', query, limit: 50 });
    expect(res.statusCode).toBe(200);
    return (res.json().records as Array<{ id: string }>).map((r) => r.id);
  };

  beforeAll(async () => {
    t = await createTestApp({ dialect, env: { SEARCH_INDEX_MIN_TRACKS: String(INDEX_MIN_TRACKS) } });
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
    bob = client(t, await t.token({ user: 'bob', role: 'member' }));
    admin = client(t, await t.token({ user: 'ada', role: 'admin' }));
    carol = client(t, await t.token({ tenant: 'other', user: 'carol', role: 'member' }));
    const { tenants } = t.container.repos;
    const { identity } = t.container.services;
    acme = (await tenants.findByName('acme'))!.id;
    const other = (await tenants.findByName('other'))!.id;
    const userId = async (tenantId: string, name: string) => (await identity.findOrCreateUser(tenantId, { name, role: 'member' })).id;
    const vectors = Array.from({ length: 2000 }, (_, i) => unit(centers[i % CLUSTERS].map((x) => x + 0.35 * gauss())));
    alices = await seed(t, acme, await userId(acme, 'alice'), vectors, (i) => `Alice ${i % 50 === 0 ? 'lantern' : 'tune'} ${i}`);
    // Bob and Carol hold exact copies of some of Alice's vectors: the best possible hits, if scoping failed.
    bobs = await seed(t, acme, await userId(acme, 'bob'), vectors.slice(0, 400), (i) => `Bob lantern ${i}`);
    carols = await seed(t, other, await userId(other, 'carol'), vectors.slice(0, 400), (i) => `Carol lantern ${i}`);
  });
  afterAll(async () => t?.close());

  it('finds the same top hits as an exact scan', async () => {
    for (const ref of alices.filter((_, i) => i % 97 === 0)) {
      const got = await similar(alice, ref);
      const want = bruteForce(alices, ref.vector, ref.id, 10);
      expect(got.map((r) => r.id).sort()).toEqual(want.map((r) => r.id).sort());
      got.forEach((r, i) => expect(r.similarity).toBeCloseTo(want[i].similarity, 4));
    }
    // Every scope here is above the threshold, so that was the index, not a full scan.
    expect(t.container.modules.workspace.similarity.stats(acme)).toMatchObject({ tracks: 2400, lists: expect.any(Number) });
    expect(t.container.modules.workspace.similarity.stats(acme)!.lists).toBeGreaterThan(10);
  });

  it('keeps owners and tenants apart', async () => {
    const bobIds = new Set(bobs.map((b) => b.id));
    const alicesIds = new Set(alices.map((a) => a.id));
    const carolIds = new Set(carols.map((c) => c.id));
    for (let i = 0; i < 400; i += 57) {
      const mine = await similar(alice, alices[i], 50);
      expect(mine.filter((r) => !alicesIds.has(r.id))).toEqual([]);
      const his = await similar(bob, bobs[i], 50);
      expect(his.length).toBe(50);
      expect(his.filter((r) => !bobIds.has(r.id))).toEqual([]);
      expect(his.map((r) => r.id).sort()).toEqual(bruteForce(bobs, bobs[i].vector, bobs[i].id, 50).map((r) => r.id).sort());
      // The tenant's admin sees every owner: Bob's copy of the vector comes first.
      const all = await similar(admin, alices[i], 50);
      expect(all[0]).toMatchObject({ id: bobs[i].id });
      expect(all[0].similarity).toBeCloseTo(1, 5);
      expect(all.filter((r) => carolIds.has(r.id))).toEqual([]);
      const hers = await similar(carol, carols[i], 50);
      expect(hers.filter((r) => !carolIds.has(r.id))).toEqual([]);
    }
    // Another tenant's track is not even a valid reference.
    expect((await alice.post('/search/tracks', { mode: 'similar', similarToTrackId: carols[0].id })).statusCode).toBe(404);
    expect((await bob.post('/search/tracks', { mode: 'similar', similarToTrackId: alices[0].id })).statusCode).toBe(404);
  });

  it('reflects tracks updated, added and deleted after the index was built on the next search', async () => {
    const ref = alices[1];
    const before = await similar(alice, ref);
    const nearest = alices.find((a) => a.id === before[0].id)!;

    // Deleted through the API, and behind the app's back by another process.
    expect((await alice.del(`/tracks/${nearest.id}`)).statusCode).toBeLessThan(300);
    const second = before[1].id;
    await t.container.db.updateTable('tracks').set({ deletedAt: new Date().toISOString() }).where('id', '=', second).execute();
    const afterDelete = await similar(alice, ref);
    expect(afterDelete.map((r) => r.id)).not.toContain(nearest.id);
    expect(afterDelete.map((r) => r.id)).not.toContain(second);
    expect(afterDelete).toHaveLength(10);

    // A far-away track gets a new vector (its analysis ran again): now the best match.
    const far = alices.reduce((worst, a) => (cosine(a.vector, ref.vector) < cosine(worst.vector, ref.vector) ? a : worst));
    expect(afterDelete.map((r) => r.id)).not.toContain(far.id);
    const moved = unit(ref.vector.map((x, i) => x + (i === 0 ? 0.01 : 0)));
    await t.container.repos.processing.upsertEmbedding({ assetId: far.assetId, tenantId: acme, trackId: far.id, dims: DIMS, vector: encode(moved), createdAt: new Date(Date.now() + 1000).toISOString() });
    const afterUpdate = await similar(alice, ref);
    expect(afterUpdate[0].id).toBe(far.id);

    // A new track written by another process.
    const [added] = await seed(t, acme, (await t.container.services.identity.findOrCreateUser(acme, { name: 'alice', role: 'member' })).id, [ref.vector], () => 'Alice newcomer');
    await t.container.db.updateTable('embeddings').set({ createdAt: new Date(Date.now() + 2000).toISOString() }).where('assetId', '=', added.assetId).execute();
    const afterAdd = await similar(alice, ref);
    expect(afterAdd[0]).toMatchObject({ id: added.id });
    expect(afterAdd[0].similarity).toBeCloseTo(1, 5);
    expect(t.container.modules.workspace.similarity.stats(acme)!.lists).toBeGreaterThan(10);

    // Keyword search sees a new title at once, and not the old one.
    const renamed = alices[2];
    expect(await keyword(alice, 'lantern')).not.toContain(renamed.id);
    expect((await alice.patch(`/tracks/${renamed.id}/metadata`, { title: 'Lantern bay' })).statusCode).toBe(200);
    expect(await keyword(alice, 'lantern')).toContain(renamed.id);
    expect(await keyword(alice, 'tune 2')).not.toContain(renamed.id);
    // Bob's and Carol's lantern tracks stay theirs.
    const lanterns = await keyword(alice, 'lantern');
    expect(lanterns).toHaveLength(41);
    expect(lanterns.every((id) => alices.some((a) => a.id === id))).toBe(true);
    expect((await keyword(carol, 'lantern')).every((id) => carols.some((c) => c.id === id))).toBe(true);
  });

  it('builds the index in the background once a tenant grows past the threshold, answering exactly meanwhile', async () => {
    const dora = client(t, await t.token({ tenant: 'growing', user: 'dora', role: 'member' }));
    const tenantId = (await t.container.repos.tenants.findByName('growing'))!.id;
    const doraId = (await t.container.services.identity.findOrCreateUser(tenantId, { name: 'dora', role: 'member' })).id;
    const vectors = Array.from({ length: 500 }, (_, i) => unit(centers[i % CLUSTERS].map((x) => x + 0.35 * gauss())));
    const first = await seed(t, tenantId, doraId, vectors.slice(0, 200), (i) => `Dora ${i}`);
    const { similarity } = t.container.modules.workspace;
    expect((await similar(dora, first[0])).map((r) => r.id).sort()).toEqual(bruteForce(first, first[0].vector, first[0].id, 10).map((r) => r.id).sort());
    expect(similarity.stats(tenantId)).toMatchObject({ tracks: 200, lists: 0 });

    const later = await seed(t, tenantId, doraId, vectors.slice(200), (i) => `Dora later ${i}`);
    await t.container.db.updateTable('embeddings').set({ createdAt: new Date(Date.now() + 5000).toISOString() }).where('trackId', 'in', later.map((l) => l.id)).execute();
    const all = [...first, ...later];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const got = await similar(dora, later[0]);
      expect(got.map((r) => r.id).sort()).toEqual(bruteForce(all, later[0].vector, later[0].id, 10).map((r) => r.id).sort());
      if (similarity.stats(tenantId)!.lists > 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(similarity.stats(tenantId)).toMatchObject({ tracks: 500, lists: expect.any(Number) });
    expect(similarity.stats(tenantId)!.lists).toBeGreaterThan(1);
    expect((await similar(dora, later[0])).map((r) => r.id).sort()).toEqual(bruteForce(all, later[0].vector, later[0].id, 10).map((r) => r.id).sort());
  });
});
