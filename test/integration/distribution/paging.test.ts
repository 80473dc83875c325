import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import type { Headers } from './fixtures.js';

/** Each distribution list, how to make one of its rows, and how to read the rows of an answer. */
type List = { name: string; url: string; create: (i: number) => [string, Record<string, unknown>]; rows: (b: Body) => unknown[] };
const LISTS: List[] = [
  { name: 'releases', url: '/releases?search=pagetest', create: (i: number) => ['/releases', { title: `Pagetest ${i}`, displayArtist: 'Pager', format: 'Single', type: 'Audio' }], rows: (b: Body) => (b.data as Body).releases as unknown[] },
  { name: 'assets', url: '/asset?q=pagetest', create: (i: number) => ['/asset', { title: `Pagetest ${i}`, type: 'Audio' }], rows: (b: Body) => b.data as unknown[] },
  { name: 'products', url: '/product?q=pagetest', create: (i: number) => ['/product', { title: `Pagetest ${i}` }], rows: (b: Body) => b.data as unknown[] },
  { name: 'artists', url: '/artist?q=pagetest', create: (i: number) => ['/artist', { artistName: `Pagetest ${i}` }], rows: (b: Body) => b.data as unknown[] },
];
type Body = Record<string, unknown>;
const ROWS = 5;

describe.each(dialects())('distribution: one paging for every list (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    admin = bearer(await t.token({ role: 'admin' }));
    for (const list of LISTS) {
      for (let i = 1; i <= ROWS; i++) {
        const [url, payload] = list.create(i);
        const res = await t.app.inject({ method: 'POST', url, headers: admin, payload });
        if (res.statusCode !== 201) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
      }
    }
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ url, headers: admin });

  describe.each(LISTS)('$name', (list) => {
    it('pages by size, and by limit the same way, with the pagination block beside the rows', async () => {
      for (const param of ['size', 'limit']) {
        const res = await get(`${list.url}&${param}=2&page=3`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ success: true, totalItems: ROWS, totalPages: 3, currentPage: 3, size: 2, limit: 2 });
        expect(list.rows(body)).toHaveLength(1);
        expect(list.rows((await get(`${list.url}&${param}=2&page=1`)).json())).toHaveLength(2);
      }
    });

    it('accepts size and limit together when they agree', async () => {
      const body = (await get(`${list.url}&size=4&limit=4`)).json();
      expect(body).toMatchObject({ totalItems: ROWS, totalPages: 2, currentPage: 1, size: 4 });
      expect(list.rows(body)).toHaveLength(4);
    });

    it('answers 400 in the distribution envelope when size and limit differ', async () => {
      const res = await get(`${list.url}&size=2&limit=3`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ status: 'error', message: 'limit must equal size (2) when both are given' });
    });

    it('refuses a page size that is not a positive whole number and caps a large one at 100', async () => {
      for (const bad of ['size=0', 'limit=0', 'size=two', 'limit=1.5', 'page=0']) {
        const res = await get(`${list.url}&${bad}`);
        expect(res.statusCode, bad).toBe(400);
        expect(res.json()).toMatchObject({ status: 'error', message: expect.stringMatching(/^(size|limit|page) must/) });
      }
      const big = (await get(`${list.url}&limit=1000`)).json();
      expect(big).toMatchObject({ totalItems: ROWS, totalPages: 1, size: 100 });
      expect(list.rows(big)).toHaveLength(ROWS);
    });
  });

  it('keeps the releases page inside data as well, where releases always answered it', async () => {
    const body = (await get('/releases?search=pagetest&limit=2&page=2')).json();
    expect(body.data).toMatchObject({ totalItems: ROWS, totalPages: 3, currentPage: 2, limit: 2, size: 2 });
    expect(body.data.releases).toHaveLength(2);
  });

  it('uses each list its own default page size', async () => {
    expect((await get('/releases?search=pagetest')).json()).toMatchObject({ size: 20 });
    expect((await get('/asset?q=pagetest')).json()).toMatchObject({ size: 10 });
  });
});
