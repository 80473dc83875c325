import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidGtin } from '../../../src/domain/identifiers.js';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { injectPath, makeImage } from '../../helpers/audio.js';
import type { Headers } from './fixtures.js';
import { multipart, type FormValue } from './multipart.js';

/** The form of the contract's `curl --form ...` example, field for field. */
const contractForm = (file: Buffer): Array<[string, FormValue]> => [
  ['title', 'Summer Vibes'],
  ['id', 'PROD-001'],
  ['upc', '123456789012'],
  ['catalogNumber', 'CAT-2024-001'],
  ['catalog', '<string>'],
  ['externalId', 'EXT-12345'],
  ['displayArtist', 'John Doe feat. Jane Smith'],
  ['type', 'Audio'],
  ['version', 'Deluxe Edition'],
  ['explicit', 'clean'],
  ['releaseDate', '2024-06-15'],
  ['takedownDate', '2024-12-31'],
  ['mainGenre', 'Pop'],
  ['subGenre', 'Dance Pop'],
  ['status', 'Pending'],
  ['distribution', '{}'],
  ['contributors', '{\n  "name": "<string>",\n  "role": "<string>",\n  "share": 50\n}'],
  ['metadata', '{}'],
  ['chartHistory', '{\n  "chart": "Billboard Hot 100",\n  "position": 10,\n  "date": "2024-01-15"\n}'],
  ['totalTracks', '12'],
  ['totalDiscs', '1'],
  ['packageType', 'Digital Album'],
  ['edition', 'Deluxe Edition'],
  ['reissue', 'false'],
  ['originalReleaseDate', '2020-06-15'],
  ['recordingLocation', 'Abbey Road Studios, London'],
  ['masteringLocation', 'Sterling Sound, New York'],
  ['producer[0]', 'Max Martin'],
  ['producer[1]', 'Shellback'],
  ['engineer[0]', 'John Smith'],
  ['engineer[1]', 'Jane Doe'],
  ['sequenceNumber', '5'],
  ['parentReleaseId', '550e8400-e29b-41d4-a716-446655440000'],
  ['language', 'en'],
  ['c_line_year', '2024'],
  ['p_line_year', '2024'],
  ['artists[0]', '{\n  "id": "artist-123",\n  "type": "primary"\n}'],
  ['artists[1]', '{\n  "id": "artist-456",\n  "type": "featuring"\n}'],
  ['assets[0]', '{\n  "asset": "asset-789",\n  "number": 1\n}'],
  ['assets[1]', '{\n  "asset": "asset-790",\n  "number": 2\n}'],
  // curl sends a file of unknown type as application/octet-stream.
  ['file', { file, filename: 'example-file', contentType: 'application/octet-stream' }],
  ['media', '<string>'],
];

const CONTRACT_PRODUCT = {
  id: 'PROD-001', title: 'Summer Vibes', upc: '123456789012', catalogNumber: 'CAT-2024-001', externalId: 'EXT-12345', displayArtist: 'John Doe feat. Jane Smith',
  type: 'Audio', version: 'Deluxe Edition', explicit: 'clean', releaseDate: '2024-06-15', takedownDate: '2024-12-31', mainGenre: 'Pop', subGenre: 'Dance Pop',
  status: 'Pending', distribution: {}, contributors: [{ name: '<string>', role: '<string>', share: 50 }], metadata: {},
  chartHistory: [{ chart: 'Billboard Hot 100', position: 10, date: '2024-01-15' }], totalTracks: 12, totalDiscs: 1, packageType: 'Digital Album',
  edition: 'Deluxe Edition', reissue: false, originalReleaseDate: '2020-06-15', recordingLocation: 'Abbey Road Studios, London',
  masteringLocation: 'Sterling Sound, New York', producer: ['Max Martin', 'Shellback'], engineer: ['John Smith', 'Jane Doe'], sequenceNumber: 5,
  parentReleaseId: '550e8400-e29b-41d4-a716-446655440000', language: 'en', c_line_year: 2024, p_line_year: 2024,
  artists: [{ id: 'artist-123', artistName: 'John Doe', type: 'primary' }, { id: 'artist-456', artistName: 'Jane Smith', type: 'featuring' }],
  assets: [{ asset: 'asset-789', number: 1, title: 'Summer Vibes (Intro)' }, { asset: 'asset-790', number: 2, title: 'Summer Vibes' }],
};

/**
 * The contract's example names artists and assets by ids of its own catalog. A product may only
 * name records that exist, so the examples are replayed with the ids of records made to match.
 */
const EXAMPLE_RECORDS = {
  artists: { 'artist-123': 'John Doe', 'artist-456': 'Jane Smith', 'artist-999': 'Guest Star' },
  assets: { 'asset-789': 'Summer Vibes (Intro)', 'asset-790': 'Summer Vibes' },
};
const ids: Record<string, string> = {};
/** The example with its record ids replaced by the ids the records have here. */
const real = <T>(value: T): T => JSON.parse(JSON.stringify(value).replace(/\b(artist|asset)-\d+\b/g, (m) => ids[m] ?? m));

describe.each(dialects())('distribution: products (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    admin = bearer(await t.token({ role: 'admin' }));
    for (const [example, artistName] of Object.entries(EXAMPLE_RECORDS.artists)) {
      ids[example] = (await t.app.inject({ method: 'POST', url: '/artist', headers: admin, payload: { artistName } })).json().data.id;
    }
    for (const [example, title] of Object.entries(EXAMPLE_RECORDS.assets)) {
      ids[example] = (await t.app.inject({ method: 'POST', url: '/asset', headers: admin, payload: { title } })).json().data.id;
    }
  });
  afterAll(async () => t?.close());

  const createProduct = async (payload: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'Draft Product', ...payload } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as { id: string; upc: string };
  };
  const putJson = (id: string, payload: Record<string, unknown>, h: Headers = admin) => t.app.inject({ method: 'PUT', url: `/product/${id}`, headers: h, payload });
  const putForm = (id: string, fields: Array<[string, FormValue]>) => {
    const body = multipart(fields);
    return t.app.inject({ method: 'PUT', url: `/product/${id}`, headers: { ...admin, ...body.headers }, payload: body.payload });
  };

  it("applies the contract's multipart update exactly as written and answers as documented", async () => {
    const created = await createProduct();
    expect(isValidGtin(created.upc)).toBe(true);
    const file = randomBytes(2048);
    const res = await putForm(created.id, contractForm(file).map(([k, v]) => [k, typeof v === 'string' ? real(v) : v] as [string, FormValue]));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['message', 'product']);
    expect(body.message).toBe('Product updated successfully');
    expect(body.product).toMatchObject(real(CONTRACT_PRODUCT));
    // The deprecated alias loses to catalogNumber; `media` and the uploaded file are both kept.
    expect(body.product.media).toEqual(['<string>', expect.objectContaining({ type: 'file', name: 'example-file', fileSize: 2048, cloudUrl: expect.any(String) })]);
    const download = await t.app.inject({ url: injectPath(body.product.media[1].cloudUrl) });
    expect(download.rawPayload.equals(file)).toBe(true);
    // Reachable by its new id and by the permanent one.
    expect((await t.app.inject({ url: '/product/PROD-001', headers: admin })).json().data).toMatchObject(real(CONTRACT_PRODUCT));
    expect((await t.app.inject({ url: `/product/${created.id}`, headers: admin })).json().data.id).toBe('PROD-001');
    // Audited with who and what changed.
    const audit = await t.container.db.selectFrom('auditEvents').selectAll().where('entityType', '=', 'product').where('action', '=', 'product.updated').execute();
    const changes = JSON.parse(audit.at(-1)!.changes);
    expect(changes.title).toEqual({ from: 'Draft Product', to: 'Summer Vibes' });
    expect(changes.upc.to).toBe('123456789012');
    expect(audit.at(-1)!.actorUserId).toEqual(expect.any(String));
  });

  it('takes the same update as JSON', async () => {
    const created = await createProduct();
    const res = await putJson(created.id, real({
      ...CONTRACT_PRODUCT,
      id: 'PROD-JSON',
      upc: '036000291452',
      explicit: true,
      artists: [{ id: 'artist-123', type: 'primary' }, 'artist-999'],
      assets: [{ asset: 'asset-789', number: 1 }],
      contributors: [{ name: 'A', role: 'Producer', share: 50 }],
      chartHistory: [],
    }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().product).toMatchObject({
      id: 'PROD-JSON', upc: '036000291452', explicit: 'explicit', reissue: false,
      artists: real([{ id: 'artist-123', artistName: 'John Doe', type: 'primary' }, { id: 'artist-999', artistName: 'Guest Star', type: 'primary' }]),
    });
    expect((await putJson(created.id, { title: 'x', explicit: false })).json().product.explicit).toBe('clean');
    // Fields left out keep their values; the deprecated alias fills catalogNumber when it is alone.
    const alias = await putJson(created.id, { title: 'Alias', catalog: 'OLD-CAT' });
    expect(alias.json().product).toMatchObject({ title: 'Alias', catalogNumber: 'OLD-CAT', upc: '036000291452', version: 'Deluxe Edition' });
  });

  it('refuses artists and assets that are not records of this workspace, naming them, and changes nothing', async () => {
    const created = await createProduct({ artists: [ids['artist-123']] });
    for (const [body, named] of [
      [{ artists: [ids['artist-123'], 'artist-nowhere'] }, 'artist-nowhere'],
      [{ assets: [{ asset: 'asset-nowhere', number: 1 }] }, 'asset-nowhere'],
    ] as const) {
      const res = await putJson(created.id, { title: 'Changed', ...body });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual({ status: 'error', message: expect.stringContaining(named) });
      const post = await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'New', ...body } });
      expect(post.statusCode).toBe(400);
      expect(post.json().message).toContain(named);
    }
    const after = (await t.app.inject({ url: `/product/${created.id}`, headers: admin })).json().data;
    expect(after).toMatchObject({ title: 'Draft Product', artists: [{ id: ids['artist-123'], artistName: 'John Doe' }] });
    // Another tenant's asset is not one of this workspace's.
    const other = bearer(await t.token({ tenant: 'elsewhere', user: 'eve', role: 'admin' }));
    const foreign = (await t.app.inject({ method: 'POST', url: '/asset', headers: other, payload: { title: 'Theirs' } })).json().data.id;
    const res = await putJson(created.id, { title: 'x', assets: [foreign] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(foreign);
  });

  it('answers 400 naming the field for each violated rule, and accepts a valid value', async () => {
    const created = await createProduct();
    const long = (n: number) => 'x'.repeat(n);
    const cases: Array<[string, unknown, unknown]> = [
      ['title', '', 'T'],
      ['title', long(256), long(255)],
      ['id', long(101), long(100)],
      ['catalogNumber', long(101), long(100)],
      ['catalog', long(101), long(100)],
      ['externalId', long(101), long(100)],
      ['version', long(101), long(100)],
      ['mainGenre', long(101), long(100)],
      ['subGenre', long(101), ['Dance Pop', 'House']],
      ['displayArtist', long(256), long(255)],
      ['recordingLocation', long(256), long(255)],
      ['masteringLocation', long(256), long(255)],
      ['language', long(11), 'fr'],
      ['language', 'zz', 'EN'],
      ['type', 'Vinyl', 'Ringtone'],
      ['explicit', 'maybe', 'explicit'],
      ['status', 'Gone', 'Taken Down'],
      ['releaseDate', '2024-02-30', '2024-02-29'],
      ['takedownDate', 'tomorrow', '2025-01-01'],
      ['originalReleaseDate', '15/06/2020', '2020-06-15'],
      ['totalTracks', 0, 1],
      ['totalTracks', 1.5, '3'],
      ['totalDiscs', '0', 2],
      ['c_line_year', 1899, 1900],
      ['c_line_year', 2101, 2100],
      ['p_line_year', '1800', '2100'],
      ['sequenceNumber', 'five', 5],
      ['reissue', 'perhaps', 'true'],
      ['parentReleaseId', 'not-a-uuid', '550e8400-e29b-41d4-a716-446655440000'],
      ['upc', '123456789013', '4006381333931'],
      ['distribution', '{broken', '{"territories":["US"]}'],
      ['metadata', '[1,2]', { label: 'x' }],
      ['contributors', 'nope', [{ name: 'N', role: 'R' }]],
      ['chartHistory', '"x"', [{ chart: 'UK', position: 1 }]],
      ['producer', [1], ['P']],
      ['artists', ['{not json'], real([{ id: 'artist-456', type: 'featuring' }])],
      ['assets', real([{ asset: 'asset-789', number: 0 }]), real([{ asset: 'asset-789', number: 3 }])],
    ];
    for (const [field, bad, good] of cases) {
      const refused = await putJson(created.id, { title: 'Rules', [field]: bad });
      expect(refused.statusCode, `${field}=${JSON.stringify(bad)}: ${refused.body}`).toBe(400);
      expect(refused.json().status).toBe('error');
      expect(refused.json().message, field).toMatch(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}`));
      const accepted = await putJson(created.id, { title: field === 'title' ? good : 'Rules', [field]: good });
      expect(accepted.statusCode, `${field}=${JSON.stringify(good)}: ${accepted.body}`).toBe(200);
    }
    const missing = await putJson(created.id, { version: 'v' });
    expect(missing.json()).toEqual({ status: 'error', message: 'title is required' });
    // The same rules through form fields.
    const form = await putForm(created.id, [['title', 'Rules'], ['totalDiscs', '0'], ['p_line_year', '3000'], ['producer[0]', 'A']]);
    expect(form.statusCode).toBe(400);
    expect(form.json().message).toBe('totalDiscs must be a whole number of at least 1; p_line_year must be a year between 1900 and 2100');
  });

  it('generates unique valid UPCs and refuses duplicates of UPC or id with 409', async () => {
    const a = await createProduct();
    const b = await createProduct();
    expect(isValidGtin(a.upc) && isValidGtin(b.upc)).toBe(true);
    expect(a.upc).not.toBe(b.upc);
    // An empty UPC is generated like a missing one, and leaves an existing one alone on update.
    const empty = await createProduct({ upc: '' });
    expect(isValidGtin(empty.upc)).toBe(true);
    expect(empty.upc).not.toBe(b.upc);
    expect((await putJson(empty.id, { title: 'E', upc: '  ' })).json().product).toMatchObject({ upc: empty.upc });
    const dupUpc = await putJson(b.id, { title: 'B', upc: a.upc });
    expect(dupUpc.statusCode).toBe(409);
    expect(dupUpc.json()).toEqual({ status: 'error', message: expect.stringContaining(a.upc) });
    await putJson(a.id, { title: 'A', id: 'TAKEN-ID' });
    expect((await putJson(b.id, { title: 'B', id: 'TAKEN-ID' })).statusCode).toBe(409);
    const post = await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'C', upc: a.upc } });
    expect(post.statusCode).toBe(409);
    // Another workspace may use the same UPC.
    const other = bearer(await t.token({ tenant: 'labelb', user: 'b', role: 'admin' }));
    expect((await t.app.inject({ method: 'POST', url: '/product', headers: other, payload: { title: 'C', upc: a.upc } })).statusCode).toBe(201);
    expect((await t.app.inject({ url: `/product/${a.id}`, headers: other })).statusCode).toBe(404);
  });

  it('creates in bulk, reporting the bad items without failing the batch', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/product/bulk',
      headers: admin,
      payload: { products: [{ title: 'Bulk One' }, { title: 'Bulk Two', totalTracks: 0 }, { title: 'Bulk Three', type: 'Video' }] },
    });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data.processedCount).toBe(3);
    expect(data.createdProducts.map((p: { title: string }) => p.title)).toEqual(['Bulk One', 'Bulk Three']);
    expect(data.errors).toEqual([{ index: 1, item: { title: 'Bulk Two', totalTracks: 0 }, reason: 'totalTracks must be a whole number of at least 1' }]);
    expect((await t.app.inject({ method: 'POST', url: '/product/bulk', headers: admin, payload: { items: [] } })).statusCode).toBe(400);
  });

  it('lists products with page/size, search and sort', async () => {
    for (let i = 0; i < 12; i++) await createProduct({ title: `Paged ${String(i).padStart(2, '0')}` });
    const res = (await t.app.inject({ url: '/product?page=2&size=5&q=paged&sort=title&order=asc', headers: admin })).json();
    expect(res).toMatchObject({ success: true, totalItems: 12, totalPages: 3, currentPage: 2 });
    expect(res.data.map((p: { title: string }) => p.title)).toEqual(['Paged 05', 'Paged 06', 'Paged 07', 'Paged 08', 'Paged 09']);
    expect((await t.app.inject({ url: '/product?size=1000&q=paged', headers: admin })).json().data).toHaveLength(12);
    expect((await t.app.inject({ url: '/product?page=0', headers: admin })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/product?q=paged', headers: admin })).json().data).toHaveLength(10);
  });

  it('stores artwork through the upload pipeline and refuses a file that is not what it claims', async () => {
    const created = await createProduct();
    const png = makeImage({ color: 'blue' });
    const ok = await putForm(created.id, [['title', 'With Art'], ['file', { file: png, filename: 'cover.png', contentType: 'image/png' }]]);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().product.media).toEqual([expect.objectContaining({ type: 'image', mimeType: 'image/png', fileSize: png.length })]);
    const before = (await t.container.db.selectFrom('assets').select('id').execute()).length;
    const fake = await putForm(created.id, [['title', 'With Art'], ['file', { file: Buffer.from('not a png at all'), filename: 'x.png', contentType: 'image/png' }]]);
    expect(fake.statusCode).toBe(400);
    expect(fake.json().message).toContain('not a JPEG, PNG, WebP or GIF image');
    // A bad field after a good file: the file is not kept.
    const late = await putForm(created.id, [['file', { file: png, filename: 'c.png', contentType: 'image/png' }], ['title', 'X'], ['totalTracks', '-1']]);
    expect(late.statusCode).toBe(400);
    expect((await t.container.db.selectFrom('assets').select('id').execute()).length).toBe(before);
  });

  it('deletes a product, audited, and keeps tenants and roles apart', async () => {
    const created = await createProduct();
    const guest = bearer(await t.token({ user: 'g', role: 'guest' }));
    expect((await putJson(created.id, { title: 'No' }, guest)).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/product/${created.id}`, headers: guest })).statusCode).toBe(200);
    const del = await t.app.inject({ method: 'DELETE', url: `/product/${created.id}`, headers: admin });
    expect(del.json()).toMatchObject({ success: true, message: 'Product deleted successfully' });
    expect((await t.app.inject({ url: `/product/${created.id}`, headers: admin })).statusCode).toBe(404);
    expect((await putJson(created.id, { title: 'Gone' })).json()).toEqual({ status: 'error', message: 'Product not found' });
    const actions = (await t.container.db.selectFrom('auditEvents').select('action').where('entityType', '=', 'product').execute()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['product.created', 'product.updated', 'product.deleted']));
  });
});
