import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/app.js';
import { organization, setup, type Org } from './setup.js';
import { writeElsewhere } from '../../helpers/write-elsewhere.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Hot reads (a track by id, the credential behind a request) are answered from memory while the
 * database is unchanged. These tests write behind the cache's back and expect to see the write.
 */
describe.each(dialects())('collections: cached reads never go stale (%s)', (dialect) => {
  let t: TestApp;
  let org: Org;
  let trackId: string;
  beforeAll(async () => {
    ({ t, org } = await setup(dialect));
    const collectionId = (await org.api.post('/v1/collection', { title: 'Fresh' })).body.collection_id;
    trackId = (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'fresh.wav', player_title: 'First' })).body.track_id;
  });
  afterAll(async () => t?.close());

  it('a track read again after an update through the API shows the update', async () => {
    expect((await org.api.get(`/v1/track/${trackId}`)).body.track.player_title).toBe('First');
    expect((await org.api.put(`/v1/track/${trackId}`, { player_title: 'Second' })).status).toBe(200);
    expect((await org.api.get(`/v1/track/${trackId}`)).body.track.player_title).toBe('Second');
  });

  it('a track read again after a write made outside the API (another process, a direct SQL update) shows it', async () => {
    const before = await org.api.get(`/v1/track/${trackId}`);
    expect(before.body.track.title).not.toBe('Renamed elsewhere');
    await writeElsewhere(t, 'update tracks set title = $1 where id = $2', ['Renamed elsewhere', trackId]);
    const after = await org.api.get(`/v1/track/${trackId}`);
    expect(after.status).toBe(200);
    expect(after.body.track.title).toBe('Renamed elsewhere');
    await writeElsewhere(t, 'update tracks set deleted_at = $1 where id = $2', [new Date().toISOString(), trackId]);
    expect((await org.api.get(`/v1/track/${trackId}`)).status).toBe(404);
    await writeElsewhere(t, 'update tracks set deleted_at = null where id = $1', [trackId]);
    expect((await org.api.get(`/v1/track/${trackId}`)).status).toBe(200);
  });

  it('a collection page read again after writes made outside the API shows them', async () => {
    const collectionId = (await org.api.get(`/v1/track/${trackId}`)).body.track.collection_id;
    const second = (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'second.wav' })).body.track_id;
    const page = async () => (await org.api.get(`/v1/collection/${collectionId}/track?limit=10`)).body;
    const before = await page();
    expect(before.tracks.map((x: { id: string }) => x.id)).toEqual([trackId, second]);
    await writeElsewhere(t, 'update tracks set title = $1 where id = $2', ['Page rename', second]);
    expect((await page()).tracks[1].title).toBe('Page rename');
    await writeElsewhere(t, 'update tracks set collection_id = null where id = $1', [second]);
    const after = await page();
    expect(after.tracks.map((x: { id: string }) => x.id)).toEqual([trackId]);
    // Totals (a count over the whole collection) may lag a write made elsewhere by two seconds at most.
    await sleep(2100);
    expect((await page()).count).toBe(1);
  });

  it('keeps a cached track while other tracks are written and reads it again once its own rows change', async () => {
    const collectionId = (await org.api.get(`/v1/track/${trackId}`)).body.track.collection_id;
    const neighbour = (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'neighbour.wav' })).body.track_id;
    const record = { tables: ['tracks', 'collection_tracks', 'track_versions', 'assets', 'processing_lanes'] as const, trackId };
    const credentials = { tables: ['tenants', 'users', 'api_keys'] as const };
    const mine = () => t.container.dataVersion(record);
    await org.api.get(`/v1/track/${trackId}`);
    const [before, keysBefore, anyBefore] = [mine(), t.container.dataVersion(credentials), t.container.dataVersion()];
    expect(before).not.toBeNull();
    // Another process renames the neighbour: the database moved, this track's rows did not.
    await writeElsewhere(t, 'update tracks set title = $1 where id = $2', ['Neighbour renamed', neighbour]);
    expect(t.container.dataVersion()).not.toBe(anyBefore);
    expect(mine()).toBe(before);
    expect(t.container.dataVersion(credentials)).toBe(keysBefore);
    if (dialect === 'sqlite') {
      // This process's own writes name their track too (on PostgreSQL they count for every track).
      expect((await org.api.put(`/v1/track/${neighbour}`, { player_title: 'Busy' })).status).toBe(200);
      expect(mine()).toBe(before);
    }
    await writeElsewhere(t, 'update tracks set title = $1 where id = $2', ['Mine renamed', trackId]);
    expect(mine()).not.toBe(before);
    expect((await org.api.get(`/v1/track/${trackId}`)).body.track.title).toBe('Mine renamed');
    // Its AudioDN fields, written elsewhere, are seen at once too.
    await writeElsewhere(t, 'update collection_tracks set player_title = $1 where track_id = $2', ['Retitled elsewhere', trackId]);
    expect((await org.api.get(`/v1/track/${trackId}`)).body.track.player_title).toBe('Retitled elsewhere');
  });

  it('an API key revoked outside the API is refused on the next request', async () => {
    const other = await organization(t, `revoked-elsewhere-${dialect}`);
    expect((await other.api.get('/v1/collection')).status).toBe(200);
    await writeElsewhere(t, 'update api_keys set revoked_at = $1 where tenant_id = $2', [new Date().toISOString(), other.tenantId]);
    expect((await other.api.get('/v1/collection')).status).toBe(401);
  });
});

describe.skipIf(!dialects().includes('postgres'))('PostgreSQL connections that die', () => {
  it('neither crash the process nor stop the caches for good', async () => {
    const { t, org } = await setup('postgres');
    try {
      const collectionId = (await org.api.post('/v1/collection', { title: 'Resilient' })).body.collection_id;
      const trackId = (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'r.wav' })).body.track_id;
      expect((await org.api.get(`/v1/track/${trackId}`)).status).toBe(200);
      const cfg = t.container.config.database as { url: string; schema: string };
      // Every connection of this app, its pool's idle ones and its change listener, is killed.
      await writeElsewhere(t, `select pg_terminate_backend(pid) from pg_stat_activity where application_name like $1`, [`ledgerline:${cfg.schema}%`]);
      await sleep(50);
      expect(t.container.dataVersion()).toBeNull();
      expect((await org.api.get(`/v1/track/${trackId}`)).status).toBe(200);
      const deadline = Date.now() + 5_000;
      while (t.container.dataVersion() === null && Date.now() < deadline) await sleep(20);
      expect(t.container.dataVersion()).not.toBeNull();
      await writeElsewhere(t, 'update tracks set title = $1 where id = $2', ['After the outage', trackId]);
      expect((await org.api.get(`/v1/track/${trackId}`)).body.track.title).toBe('After the outage');
    } finally {
      await t.close();
    }
  });
});
