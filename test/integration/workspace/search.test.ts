import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { client, createTrack, type Client } from './workspace-api.js';

/** Stores a vector for a track's current audio the way the embeddings lane does. */
async function embed(t: TestApp, api: Client, trackId: string, values: number[]) {
  const track = (await api.get(`/tracks/${trackId}`)).json();
  const tenant = (await t.container.db.selectFrom('tracks').select('tenantId').where('id', '=', trackId).executeTakeFirstOrThrow()).tenantId;
  await t.container.repos.processing.upsertEmbedding({
    assetId: track.primaryAssetId,
    tenantId: tenant,
    trackId,
    dims: values.length,
    vector: Buffer.from(Float32Array.from(values).buffer).toString('base64'),
    createdAt: new Date().toISOString(),
  });
}

describe.each(dialects())('workspace search (%s)', (dialect) => {
  let t: TestApp;
  let alice: Client;
  let bob: Client;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
    bob = client(t, await t.token({ user: 'bob', role: 'member' }));
    const wav = toneBytes({ seconds: 1 });
    const specs: Array<[string, Client, Record<string, unknown>, number[], number]> = [
      ['north', alice, { title: 'Northern Lights', artist: 'Aurora Band', genre: 'Ambient', userTags: ['mood:calm', 'instrument:synth'] }, [1, 0, 0, 0], 80],
      ['north2', alice, { title: 'Polar Night', artist: 'Aurora Band', genre: 'Ambient', userTags: ['mood:calm'] }, [0.9, 0.1, 0, 0], 84],
      ['east', alice, { title: 'Eastern Wind', artist: 'Gale', genre: 'Rock', userTags: ['mood:tense', 'instrument:guitar'] }, [0, 1, 0, 0], 140],
      ['south', alice, { title: 'Southern Lights Festival', artist: 'Gale', genre: 'Rock' }, [-1, 0, 0, 0], 128],
      ['bobs', bob, { title: 'Northern Lights (cover)', artist: 'Bob' }, [1, 0, 0, 0], 80],
    ];
    for (const [key, api, meta, vector, bpm] of specs) {
      ids[key] = await createTrack(t, api, { name: `${key}.wav`, bytes: wav });
      await api.patch(`/tracks/${ids[key]}/metadata`, meta);
      await embed(t, api, ids[key], vector);
      await t.container.db.updateTable('tracks').set({ bpm }).where('id', '=', ids[key]).execute();
    }
    await alice.put(`/tracks/${ids.east}/lyrics`, { lyrics: 'the northern wind is calling' });
  });
  afterAll(async () => t?.close());

  const search = (api: Client, body: Record<string, unknown>) => api.post('/search/tracks', body);
  const idsOf = (res: { json(): { records: Array<{ id: string }> } }) => res.json().records.map((r) => r.id);

  it('needs search.private and refuses semantic search without a model', async () => {
    const free = client(t, await t.token({ tenant: 'free-tier', plan: 'free', user: 'fay', role: 'member' }));
    const res = await search(free, { query: 'x' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'entitlement_required', feature: 'search.private', upgradeRequired: true });
    const semantic = await search(alice, { query: 'dreamy synths', mode: 'semantic' });
    expect(semantic.statusCode).toBe(501);
    expect(semantic.json()).toEqual({ error: 'semantic_search_not_configured' });
  });

  it('validates the request', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ mode: 'similar' }, 'body.similarToTrackId'],
      [{ mode: 'hybrid' }, 'body.query'],
      [{ query: 'x', limit: 0 }, 'body.limit'],
      [{ query: 'x', limit: 51 }, 'body.limit'],
      [{ query: 'x'.repeat(1001) }, 'body.query'],
      [{ query: 'x', mode: 'fuzzy' }, 'body.mode'],
      [{ query: 'x', minSimilarity: 2 }, 'body.minSimilarity'],
      [{ query: 'x', minBpm: 140, maxBpm: 90 }, 'body.minBpm'],
    ];
    for (const [body, path] of cases) {
      const res = await search(alice, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().issues[0].path).toBe(path);
    }
    expect((await search(alice, { mode: 'similar', similarToTrackId: ids.bobs })).json().error).toBe('track_not_found');
  });

  it('keyword search covers title, artist, tags and lyrics, best match first, owner-scoped', async () => {
    const lights = await search(alice, { query: 'lights', mode: 'keyword' });
    expect(lights.statusCode).toBe(200);
    expect(lights.json().mode).toBe('keyword');
    expect(idsOf(lights).sort()).toEqual([ids.north, ids.south].sort());
    expect(idsOf(lights)).not.toContain(ids.bobs);
    expect(idsOf(await search(alice, { query: 'aurora', mode: 'keyword' })).sort()).toEqual([ids.north, ids.north2].sort());
    expect(idsOf(await search(alice, { query: 'guitar' }))).toEqual([ids.east]);
    // Title matches outrank lyrics matches.
    expect(idsOf(await search(alice, { query: 'northern', mode: 'keyword' }))).toEqual([ids.north, ids.east]);
    expect(idsOf(await search(alice, { query: 'nort' }))[0]).toBe(ids.north);
    expect(idsOf(await search(alice, { query: '"); DROP TABLE tracks; --' }))).toEqual([]);
    expect(idsOf(await search(alice, { query: 'lights', limit: 1 }))).toHaveLength(1);
  });

  it('keeps tenants apart in the full-text index', async () => {
    const eve = client(t, await t.token({ tenant: 'elsewhere', user: 'eve', role: 'owner' }));
    const hers = await createTrack(t, eve, { name: 'Northern Lights.wav', bytes: toneBytes({ seconds: 1 }) });
    expect(idsOf(await search(eve, { query: 'northern lights' }))).toEqual([hers]);
    expect(idsOf(await search(alice, { query: 'northern lights' }))).toEqual([ids.north]);
    expect((await eve.get('/tracks?query=lights')).json().records.map((r: { id: string }) => r.id)).toEqual([hers]);
    // Tenant admins search the whole tenant, members only their own tracks.
    const root = client(t, await t.token({ user: 'root', role: 'admin' }));
    expect(idsOf(await search(root, { query: 'northern lights' })).sort()).toEqual([ids.north, ids.bobs].sort());
  });

  it('filters by facets and BPM and counts facets', async () => {
    expect(idsOf(await search(alice, { query: 'lights', genre: 'rock' }))).toEqual([ids.south]);
    expect(idsOf(await search(alice, { mode: 'keyword', minBpm: 100, maxBpm: 135 }))).toEqual([ids.south]);
    expect(idsOf(await search(alice, { mode: 'keyword', filters: { mood: 'calm' } })).sort()).toEqual([ids.north, ids.north2].sort());
    expect(idsOf(await search(alice, { mode: 'keyword', instrument: 'guitar' }))).toEqual([ids.east]);
    const facets = (await search(alice, { mode: 'keyword', includeFacets: true })).json().facets;
    expect(facets.artist).toEqual([{ value: 'Aurora Band', count: 2 }, { value: 'Gale', count: 2 }]);
    expect(facets.genre).toEqual([{ value: 'Ambient', count: 2 }, { value: 'Rock', count: 2 }]);
    expect(facets.mood).toEqual([{ value: 'calm', count: 2 }, { value: 'tense', count: 1 }]);
    expect(facets.instrument).toEqual([{ value: 'guitar', count: 1 }, { value: 'synth', count: 1 }]);
    expect(facets.bpm).toEqual({ min: 80, max: 140 });
  });

  it('ranks similar tracks by cosine over the stored vectors', async () => {
    const res = await search(alice, { mode: 'similar', similarToTrackId: ids.north });
    expect(res.statusCode).toBe(200);
    const records = res.json().records;
    expect(records.map((r: { id: string }) => r.id)).toEqual([ids.north2, ids.east, ids.south]);
    expect(records[0].similarity).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 5);
    expect(records[2].similarity).toBeCloseTo(-1, 5);
    expect(idsOf(await search(alice, { mode: 'similar', similarToTrackId: ids.north, minSimilarity: 0.5 }))).toEqual([ids.north2]);
    expect(idsOf(await search(alice, { mode: 'similar', similarToTrackId: ids.north, genre: 'rock' }))).toEqual([ids.east, ids.south]);
    // Bob only ever sees his own tracks.
    const bobs = (await search(bob, { mode: 'similar', similarToTrackId: ids.bobs })).json();
    expect(bobs.records).toEqual([]);
    expect((await search(alice, { similarToTrackId: ids.north })).json().mode).toBe('similar');
  });

  it('blends keyword and similarity in hybrid mode', async () => {
    const res = (await search(alice, { query: 'wind', mode: 'hybrid', similarToTrackId: ids.north })).json();
    expect(res.mode).toBe('hybrid');
    // East matches both sides; the rest only by sound.
    expect(res.records[0].id).toBe(ids.east);
    expect(res.records[0]).toMatchObject({ relevance: expect.any(Number), similarity: expect.any(Number) });
    expect(res.records.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([ids.north2, ids.south]));
    // Without a reference track the best keyword hit seeds the similarity side.
    const seeded = (await search(alice, { query: 'polar', mode: 'hybrid' })).json();
    expect(seeded.records[0].id).toBe(ids.north2);
    expect(seeded.records.map((r: { id: string }) => r.id)).toContain(ids.north);
  });

  it('notices new vectors and deleted tracks', async () => {
    const wav = toneBytes({ seconds: 1 });
    const fresh = await createTrack(t, alice, { name: 'fresh.wav', bytes: wav });
    await embed(t, alice, fresh, [0.95, 0.05, 0, 0]);
    expect(idsOf(await search(alice, { mode: 'similar', similarToTrackId: ids.north }))[0]).toBe(fresh);
    await alice.del(`/tracks/${fresh}`);
    expect(idsOf(await search(alice, { mode: 'similar', similarToTrackId: ids.north }))).not.toContain(fresh);
    const missing = await createTrack(t, alice, { name: 'unanalysed.wav', bytes: wav });
    const res = await search(alice, { mode: 'similar', similarToTrackId: missing });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('embedding_not_ready');
  });
});
