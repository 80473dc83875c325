import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, type TestApp } from '../../helpers/app.js';
import { uuidv7 } from '../../../src/domain/ids.js';
import { nowIso } from '../../../src/db/time.js';
import { setup, type Org } from './setup.js';

/** Deep offsets start from cached anchors; every page must still be exactly the rows at that offset. */
describe.each(dialects())('collection pages at deep offsets (%s)', (dialect) => {
  let t: TestApp;
  let org: Org;
  let collectionId: string;
  let ids: string[];

  beforeAll(async () => {
    ({ t, org } = await setup(dialect));
    const created = await org.api.post('/v1/collection', { title: 'Deep' });
    expect(created.status).toBe(200);
    collectionId = created.body.collection_id;
    const now = nowIso();
    const base = Date.now() - 1_000_000;
    ids = Array.from({ length: 2600 }, (_, i) => uuidv7(base + i));
    for (let i = 0; i < ids.length; i += 500) {
      await t.container.db
        .insertInto('tracks')
        .values(ids.slice(i, i + 500).map((id, j) => ({ id, tenantId: org.tenantId, collectionId, title: `T${i + j}`, visibility: 'private', status: 'active', metadata: '{}', userTags: '[]', createdAt: now, updatedAt: now })))
        .execute();
    }
  });
  afterAll(async () => t?.close());

  const page = async (offset: number, limit = 7) => {
    const res = await org.api.get(`/v1/collection/${collectionId}/track?limit=${limit}&offset=${offset}`);
    expect(res.status).toBe(200);
    return { count: res.body.count as number, ids: (res.body.tracks as Array<{ track_id?: string; id?: string }>).map((x) => x.track_id ?? x.id) };
  };

  it('answers the same rows as a plain scan at every kind of offset', async () => {
    for (const offset of [0, 999, 1000, 1001, 1995, 2000, 2599, 2600, 3000]) {
      const got = await page(offset);
      expect(got.count).toBe(2600);
      expect(got.ids, `offset ${offset}`).toEqual(ids.slice(offset, offset + 7));
    }
  });

  it('stays exact after tracks are removed from the collection', async () => {
    const removed = ids.splice(1500, 3);
    await t.container.db.updateTable('tracks').set({ deletedAt: nowIso() }).where('id', 'in', removed).execute();
    await new Promise((r) => setTimeout(r, 2100)); // the cached total lapses; anchors follow the total
    for (const offset of [1000, 1498, 1500, 2100]) {
      const got = await page(offset);
      expect(got.count).toBe(2597);
      expect(got.ids, `offset ${offset}`).toEqual(ids.slice(offset, offset + 7));
    }
  });
});
