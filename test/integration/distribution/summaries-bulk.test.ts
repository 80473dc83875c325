import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import type { Headers } from './fixtures.js';

describe.each(dialects())('distribution: summaries, bulk create and bulk delete (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;
  let viewer: Headers;
  let outsider: Headers;
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, h: Headers = admin) =>
    t.app.inject({ method, url, headers: h, ...(payload !== undefined ? { payload: payload as object } : {}) });

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    admin = bearer(await t.token({ role: 'admin' }));
    viewer = bearer(await t.token({ user: 'viewer', role: 'guest' }));
    outsider = bearer(await t.token({ tenant: 'elsewhere', role: 'admin' }));
  });
  afterAll(async () => t?.close());

  it('creates artists in bulk, each item on its own, and counts them in the summary', async () => {
    const res = await call('POST', '/artist/bulk', { artists: [{ artistName: 'Nova' }, { realName: 'no stage name' }, { artistName: 'Orbit', label: 'Indie' }] });
    expect(res.statusCode, res.body).toBe(200);
    const { message, data } = res.json();
    expect(message).toBe('2 of 3 artists created');
    expect(data.processedCount).toBe(3);
    expect(data.createdArtists.map((a: { artistName: string }) => a.artistName)).toEqual(['Nova', 'Orbit']);
    expect(data.errors).toHaveLength(1);
    expect(data.errors[0].item).toEqual({ realName: 'no stage name' });
    expect(data.errors[0].reason).toMatch(/^artistName /);
    // A bare list is a batch too.
    expect((await call('POST', '/artist/bulk', [{ artistName: 'Pulse' }])).json().data.createdArtists).toHaveLength(1);

    const summary = await call('GET', '/artist/summary');
    expect(summary.statusCode).toBe(200);
    expect(summary.json()).toEqual({ success: true, message: 'Summary retrieved successfully', summary: { total: 3 } });
    expect((await call('GET', '/artist/summary', undefined, outsider)).json().summary).toEqual({ total: 0 });
  });

  it('creates assets in bulk and summarizes them by type, counting tracks filed through the other APIs as Audio', async () => {
    const res = await call('POST', '/asset/bulk', { assets: [{ title: 'One', type: 'Audio' }, { title: 'Two', type: 'Video' }, { title: 'Three', ISRC: 'not an isrc' }] });
    expect(res.statusCode, res.body).toBe(200);
    const { data } = res.json();
    expect(data.createdAssets.map((a: { title: string }) => a.title)).toEqual(['One', 'Two']);
    expect(data.errors).toHaveLength(1);
    expect(data.errors[0].reason).toMatch(/ISRC|isrc/);
    await t.app.inject({ method: 'POST', url: '/api/swayzio/v1/tracks', headers: admin, payload: { title: 'From the workspace' } });

    const summary = (await call('GET', '/asset/summary')).json().summary;
    expect(summary.byType.Video).toBe(1);
    expect(summary.byType.Audio).toBe(summary.total - 1);
    expect(summary.total).toBeGreaterThanOrEqual(2);
  });

  it('summarizes products by status, format and type', async () => {
    await call('POST', '/product/bulk', { products: [{ title: 'A', format: 'Single' }, { title: 'B', format: 'Album' }, { title: 'C', format: 'Single', type: 'Video' }] });
    const { summary } = (await call('GET', '/product/summary')).json();
    expect(summary.total).toBe(3);
    expect(summary.byFormat).toEqual({ Single: 2, Album: 1 });
    expect(summary.byType).toEqual({ Audio: 2, Video: 1 });
    expect(Object.values(summary.byStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('deletes in bulk: unknown or foreign ids are reported, the rest go', async () => {
    const created = (await call('POST', '/artist/bulk', [{ artistName: 'Gone 1' }, { artistName: 'Gone 2' }])).json().data.createdArtists as Array<{ id: string }>;
    const foreign = (await call('POST', '/artist/bulk', [{ artistName: 'Not yours' }], outsider)).json().data.createdArtists[0].id as string;
    const res = await call('DELETE', '/artist/bulk/delete', { ids: [created[0].id, created[1].id, foreign, 'missing'] });
    expect(res.statusCode, res.body).toBe(200);
    const { data } = res.json();
    expect(data.deletedIds).toEqual([created[0].id, created[1].id]);
    expect(data.errors.map((e: { item: string }) => e.item)).toEqual([foreign, 'missing']);
    expect((await call('GET', `/artist/${created[0].id}`)).statusCode).toBe(404);
    expect((await call('GET', `/artist/${foreign}`, undefined, outsider)).statusCode).toBe(200);

    const assets = (await call('POST', '/asset/bulk', [{ title: 'Bulk gone' }])).json().data.createdAssets as Array<{ id: string }>;
    const removed = (await call('DELETE', '/asset/bulk/delete', { ids: [assets[0].id] })).json().data;
    expect(removed.deletedIds).toEqual([assets[0].id]);
    expect((await call('GET', `/asset/${assets[0].id}`)).statusCode).toBe(404);
  });

  it('exports every artist, asset and product as CSV, past one page, with formulas defused', async () => {
    const many = Array.from({ length: 520 }, (_, i) => ({ artistName: `Export ${String(i).padStart(3, '0')}` }));
    for (const half of [many.slice(0, 260), many.slice(260)]) expect((await call('POST', '/artist/bulk', half)).json().data.createdArtists).toHaveLength(260);
    await call('POST', '/artist/bulk', [{ artistName: '=HYPERLINK("http://evil")', label: 'Comma, Inc.' }]);
    const res = await call('GET', '/artist/download/csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="artists.csv"');
    const lines = res.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('id,artistName,realName,signDate,label,publisher,copyright,externalId,genres,pseudonyms,createdAt,updatedAt');
    const total = (await call('GET', '/artist/summary')).json().summary.total;
    expect(lines).toHaveLength(total + 1);
    expect(new Set(lines.map((l) => l.split(',')[0])).size).toBe(total + 1);
    expect(lines.some((l) => l.includes(`"'=HYPERLINK(""http://evil"")",,,"Comma, Inc."`))).toBe(true);
    const searched = (await call('GET', '/artist/download/csv?q=export 00')).body.split('\r\n').filter(Boolean);
    expect(searched).toHaveLength(11);
    // Another workspace exports only its own.
    const theirs = (await call('GET', '/artist/download/csv', undefined, outsider)).body.split('\r\n').filter(Boolean);
    expect(theirs.slice(1).every((l) => !l.includes('Export'))).toBe(true);

    const assets = (await call('GET', '/asset/download/csv')).body.split('\r\n').filter(Boolean);
    expect(assets[0].startsWith('id,title,ISRC,')).toBe(true);
    expect(assets.length - 1).toBe((await call('GET', '/asset/summary')).json().summary.total);
    const products = (await call('GET', '/product/download/csv')).body.split('\r\n').filter(Boolean);
    expect(products.length - 1).toBe((await call('GET', '/product/summary')).json().summary.total);
    expect((await call('GET', '/product/download/csv', undefined, {})).statusCode).toBe(401);
  });

  it('refuses readers and malformed batches as a whole', async () => {
    expect((await call('POST', '/artist/bulk', [{ artistName: 'x' }], viewer)).statusCode).toBe(403);
    expect((await call('DELETE', '/asset/bulk/delete', { ids: ['x'] }, viewer)).statusCode).toBe(403);
    for (const [url, payload] of [
      ['/artist/bulk', []],
      ['/artist/bulk', { artists: 'nope' }],
      ['/asset/bulk', { assets: Array.from({ length: 501 }, () => ({ title: 't' })) }],
    ] as const) {
      const res = await call('POST', url, payload);
      expect(res.statusCode, `${url} ${JSON.stringify(payload).slice(0, 60)}`).toBe(400);
      expect(res.json().status).toBe('error');
    }
    expect((await call('DELETE', '/artist/bulk/delete', { ids: [] })).statusCode).toBe(400);
    expect((await call('GET', '/product/summary', undefined, {})).statusCode).toBe(401);
  });
});
