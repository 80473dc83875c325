import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEvent } from '../../../src/catalog/events.js';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import type { Headers } from './fixtures.js';

/** Products, artists and releases publish their changes on the catalog's event stream, after commit. */
describe.each(dialects())('distribution: events (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;
  const seen: CatalogEvent[] = [];

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    admin = bearer(await t.token({ role: 'admin' }));
    t.container.events.subscribe((e) => void seen.push(e));
  });
  afterAll(async () => t?.close());

  const types = () => seen.map((e) => e.type);

  it('publishes product and artist changes, and nothing for a write that failed', async () => {
    const artist = (await t.app.inject({ method: 'POST', url: '/artist', headers: admin, payload: { artistName: 'Nova' } })).json().data;
    await t.app.inject({ method: 'PUT', url: `/artist/${artist.id}`, headers: admin, payload: { label: 'Indie' } });
    const product = (await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'EP' } })).json().data;
    await t.app.inject({ method: 'PUT', url: `/product/${product.id}`, headers: admin, payload: { title: 'EP (Deluxe)' } });
    const before = seen.length;
    // A duplicate UPC is refused: its transaction rolls back and publishes nothing.
    const dup = await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'Copy', upc: product.upc } });
    expect(dup.statusCode).toBe(409);
    expect(seen.length).toBe(before);
    await t.app.inject({ method: 'DELETE', url: `/product/${product.id}`, headers: admin });
    await t.app.inject({ method: 'DELETE', url: `/artist/${artist.id}`, headers: admin });
    expect(types()).toEqual(['artist.created', 'artist.updated', 'product.created', 'product.updated', 'product.deleted', 'artist.deleted']);
    expect(seen.filter((e) => e.type.startsWith('artist.')).every((e) => 'artistId' in e && e.artistId === artist.id)).toBe(true);
  });
});
