import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { validateErn } from '../../helpers/ern-schema.js';
import { cover, DDEX_ENV, masterWav, readyProduct } from './ddex-fixtures.js';
import { type Headers } from './fixtures.js';
import { makeImage } from '../../helpers/audio.js';

/** The text of every `<name>` element, in document order. */
const all = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}(?: [^>]*)?>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);

describe.each(dialects())('distribution: DDEX ERN 4.3 messages (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp({ dialect, env: DDEX_ENV });
    admin = bearer(await t.token({ role: 'admin' }));
  });
  afterAll(async () => t?.close());

  const ddex = (id: string, type?: string) => t.app.inject({ url: `/product/${id}/ddex${type ? `?type=${type}` : ''}`, headers: admin });

  it('writes a single as a NewReleaseMessage that validates against the ERN 4.3 schema', async () => {
    const p = await readyProduct(t, admin, { title: 'One & Only <Single>', tracks: [{ title: 'Song "A"', explicit: true }] });
    const res = await ddex(p.productId);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    const xml = res.body;
    const check = validateErn(xml);
    expect(check.valid, check.output).toBe(true);
    expect(xml).toContain('<ern:NewReleaseMessage');
    expect(all(xml, 'ICPN')).toEqual([p.upc]);
    expect(all(xml, 'MessageControlType')).toEqual(['LiveMessage']);
    expect(all(xml, 'ReleaseType')).toEqual(['Single']);
    expect(xml).toContain('<DisplayTitleText>One &amp; Only &lt;Single&gt;</DisplayTitleText>');
    expect(all(xml, 'ParentalWarningType')).toContain('Explicit');
    expect(all(xml, 'ISRC')).toHaveLength(1);
    // Technical details of the delivered master, read from its bytes.
    expect(all(xml, 'AudioCodecType')).toEqual(['PCM']);
    expect(all(xml, 'SamplingRate')).toEqual(['44100']);
    expect(all(xml, 'BitsPerSample')).toEqual(['16']);
    expect(all(xml, 'NumberOfChannels')).toEqual(['2']);
    const { createHash } = await import('node:crypto');
    expect(all(xml, 'HashSumValue')).toEqual([createHash('md5').update(masterWav()).digest('hex'), createHash('md5').update(cover()).digest('hex')]);
    expect(all(xml, 'Duration')[0]).toMatch(/^PT1(\.\d+)?S$/);
    expect(all(xml, 'ImageWidth')).toEqual(['1400']);
    expect(all(xml, 'StartDate')[0]).toBe('2027-03-05');
    expect(all(xml, 'PartyId')[0]).toBe(DDEX_ENV.DDEX_PARTY_ID);
    expect(all(xml, 'URI')).toEqual([`resources/${p.upc}_01_001.wav`, `resources/${p.upc}.png`]);
  });

  it('writes an EP on two discs with one resource sub-group per disc, tracks in order', async () => {
    const p = await readyProduct(t, admin, { tracks: [{ title: 'Side A1' }, { title: 'Side A2' }, { title: 'Side B1', disc: 2 }, { title: 'Side B2', disc: 2 }], format: 'EP' });
    const xml = (await ddex(p.productId)).body;
    const check = validateErn(xml);
    expect(check.valid, check.output).toBe(true);
    expect(all(xml, 'ReleaseType')).toEqual(['EP']);
    expect((xml.match(/<ResourceGroup ResourceGroupType="Component">/g) ?? []).length).toBe(2);
    expect(all(xml, 'ReleaseResourceReference')).toEqual(['A1', 'A2', 'A3', 'A4', 'A1', 'A2', 'A3', 'A4']);
    expect(all(xml, 'URI').slice(0, 4)).toEqual([`resources/${p.upc}_01_001.wav`, `resources/${p.upc}_01_002.wav`, `resources/${p.upc}_02_001.wav`, `resources/${p.upc}_02_002.wav`]);
    // One deal list per release: the main release and each track release.
    expect(all(xml, 'DealReleaseReference')).toEqual(['R0', 'R1', 'R2', 'R3', 'R4']);
  });

  it('credits contributors of the product and of each track as parties', async () => {
    const p = await readyProduct(t, admin, {
      tracks: [{ title: 'Written', contributors: { composer: ['Ada Writer'], producer: ['Max Producer'] } }],
      contributors: [{ name: 'Mia Mixer', role: 'Mixing Engineer', share: 0 }],
      distribution: { territories: ['GB', 'US'], commercialModels: ['subscription'] },
    });
    const xml = (await ddex(p.productId)).body;
    const check = validateErn(xml);
    expect(check.valid, check.output).toBe(true);
    expect(all(xml, 'FullName')).toEqual(expect.arrayContaining(['The Wave Collective', 'Ledgerline Records', 'Ada Writer', 'Max Producer', 'Mia Mixer']));
    expect(all(xml, 'Role')).toEqual(['Composer', 'UserDefined', 'MixingEngineer']);
    expect(xml).toContain('<Role UserDefinedValue="Producer">UserDefined</Role>');
    expect(all(xml, 'TerritoryCode')).toEqual(['GB', 'US', 'GB', 'US']);
    expect(all(xml, 'CommercialModelType')).toEqual(['SubscriptionModel', 'SubscriptionModel']);
  });

  it('takes a release down by ending its deals, and purges it with a PurgeReleaseMessage', async () => {
    const p = await readyProduct(t, admin);
    const down = await ddex(p.productId, 'takedown');
    expect(down.statusCode).toBe(200);
    const check = validateErn(down.body);
    expect(check.valid, check.output).toBe(true);
    expect(all(down.body, 'EndDate').length).toBeGreaterThan(0);
    expect(new Set(all(down.body, 'EndDate'))).toEqual(new Set([new Date().toISOString().slice(0, 10)]));
    const update = await ddex(p.productId, 'update');
    expect(validateErn(update.body).valid).toBe(true);
    expect(all(update.body, 'EndDate')).toEqual([]);
    const purge = await ddex(p.productId, 'purge');
    const purgeCheck = validateErn(purge.body);
    expect(purgeCheck.valid, purgeCheck.output).toBe(true);
    expect(purge.body).toContain('<ern:PurgeReleaseMessage');
    expect(all(purge.body, 'ICPN')).toEqual([p.upc]);
    expect((await ddex(p.productId, 'recall')).statusCode).toBe(400);
  });

  it('answers 422 with every readiness issue, each with a stable code, for a product that is not ready', async () => {
    const small = await readyProduct(t, admin, { artwork: makeWide() });
    const res = await ddex(small.productId);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body).toMatchObject({ status: 'error', code: 'not_ready_for_delivery' });
    expect(body.issues.map((i: { code: string }) => i.code).sort()).toEqual(['artwork_not_square', 'artwork_too_small']);
    expect(body.message).toContain('must be square');

    const bare = await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'Empty' } });
    const codes = (await ddex(bare.json().data.id)).json().issues.map((i: { code: string }) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['release_date_missing', 'display_artist_missing', 'tracks_missing', 'artwork_missing']));
    expect((await ddex('no-such-product')).statusCode).toBe(404);
  });

  it('refuses to build a message when the installation has no DDEX party id', async () => {
    const other = await createTestApp({ dialect });
    try {
      const h = bearer(await other.token({ role: 'admin' }));
      const p = await readyProduct(other, h);
      const res = await other.app.inject({ url: `/product/${p.productId}/ddex`, headers: h });
      expect(res.statusCode).toBe(422);
      expect(res.json().issues).toEqual([expect.objectContaining({ code: 'sender_party_missing', field: 'DDEX_PARTY_ID' })]);
    } finally {
      await other.close();
    }
  });

});

/** A PNG wider than tall and below the minimum size. */
function makeWide(): Buffer {
  const png = makeImage({ size: 600 });
  // Rewrite IHDR's height: a 600x300 header is all the check reads.
  const copy = Buffer.from(png);
  copy.writeUInt32BE(300, 20);
  return copy;
}

describe('distribution: product metadata export', () => {
  let t: TestApp;
  let admin: Headers;
  beforeAll(async () => {
    t = await createTestApp({ env: DDEX_ENV });
    admin = bearer(await t.token({ role: 'admin' }));
  });
  afterAll(async () => t?.close());

  it('streams every product track as CSV with formulas neutralised, and one product as its ERN', async () => {
    const p = await readyProduct(t, admin, { title: '=HYPERLINK("http://evil.test")', tracks: [{ title: 'Row One' }, { title: '+Row Two', disc: 2 }] });
    await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'Trackless' } });
    const res = await t.app.inject({ url: '/product/download/metadata', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.split('\r\n').filter(Boolean);
    expect(lines[0].split(',').slice(0, 4)).toEqual(['productId', 'upc', 'catalogNumber', 'productTitle']);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
    expect(lines[2]).toContain("'+Row Two");
    const header = lines[0].split(',');
    const cells = lines[2].split(',');
    expect(cells[header.indexOf('disc')]).toBe('2');
    expect(cells[header.indexOf('upc')]).toBe(p.upc);
    expect(lines[3]).toContain('Trackless');

    const ern = await t.app.inject({ url: `/product/download/metadata?format=ern&id=${p.productId}`, headers: admin });
    expect(ern.statusCode).toBe(200);
    expect(ern.headers['content-disposition']).toBe(`attachment; filename="${p.upc}.xml"`);
    expect(validateErn(ern.body).valid).toBe(true);
    expect((await t.app.inject({ url: '/product/download/metadata?format=ern', headers: admin })).statusCode).toBe(400);
  });
});
