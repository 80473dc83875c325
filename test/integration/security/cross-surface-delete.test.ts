import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';

describe.each(dialects())('a track deleted through another surface leaves nothing behind (%s)', (dialect) => {
  let t: TestApp;
  let admin: { authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    admin = bearer(await t.token({ role: 'admin' }));
  });
  afterAll(async () => t?.close());

  it('DELETE /asset/:id on a collection track removes it from the collection too', async () => {
    const collection = (await t.app.inject({ method: 'POST', url: '/v1/collection', headers: admin, payload: { title: 'Album' } })).json().collection_id;
    const created = await t.app.inject({ method: 'POST', url: '/v1/track', headers: admin, payload: { collection_id: collection, file_name: 'song.mp3', player_title: 'Song' } });
    expect(created.statusCode, created.body).toBe(200);
    const trackId = created.json().track_id;
    const links = async () =>
      (await sql<{ n: number | string }>`select count(*) as n from collection_tracks where track_id = ${trackId}`.execute(t.container.db)).rows[0]!.n;
    expect(Number(await links())).toBe(1);

    const deleted: string[] = [];
    t.container.events.on('track.deleted', (e) => void deleted.push(e.trackId));
    const del = await t.app.inject({ method: 'DELETE', url: `/asset/${trackId}`, headers: admin });
    expect(del.statusCode, del.body).toBe(200);

    expect((await t.app.inject({ url: `/v1/track/${trackId}`, headers: admin })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/swayzio/v1/tracks/${trackId}`, headers: admin })).statusCode).toBe(404);
    expect(Number(await links())).toBe(0);
    expect(deleted).toEqual([trackId]);
    // The collection itself is still there, and deleting it is clean.
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/collection/${collection}`, headers: admin })).statusCode).toBe(200);
  });
});
