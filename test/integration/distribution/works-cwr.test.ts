import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecord, recordLength } from '../../../src/services/distribution/works/cwr-records.js';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { DDEX_ENV, readyProduct } from './ddex-fixtures.js';
import type { Headers } from './fixtures.js';

describe.each(dialects())('distribution: works and CWR 2.1 (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;
  const people: Record<string, string> = {};
  let assetA: string;
  let assetB: string;
  let upc: string;

  beforeAll(async () => {
    t = await createTestApp({ dialect, env: DDEX_ENV });
    admin = bearer(await t.token({ role: 'admin' }));
    for (const [key, body] of Object.entries({
      ada: { name: 'Ada Lovelace', pro: 'PRS', ipi: '00012345678' },
      ben: { name: 'Ben Writer', pro: 'ASCAP', ipi: '00087654321' },
      pub: { name: 'Harbour Songs Ltd', pro: 'PRS', ipi: '00011112222' },
      label: { name: 'Ledgerline Records' },
    })) {
      const res = await t.app.inject({ method: 'POST', url: '/api/swayzio/v1/collaborators', headers: admin, payload: body });
      expect(res.statusCode, res.body).toBe(201);
      people[key] = res.json().id;
    }
    const p = await readyProduct(t, admin, { title: 'Works Album', tracks: [{ title: 'First Work' }, { title: 'Second Work' }] });
    [assetA, assetB] = p.assets.map((a) => a.asset);
    upc = p.upc;
    const sheet = (writers: Array<[string, number]>, publishers: Array<[string, number]>) => ({
      master: [{ collaboratorId: people.label, percentage: 100 }],
      writers: writers.map(([k, percentage]) => ({ collaboratorId: people[k], percentage })),
      publishers: publishers.map(([k, percentage]) => ({ collaboratorId: people[k], percentage })),
    });
    for (const [asset, body] of [[assetA, sheet([['ada', 66.67], ['ben', 33.33]], [['pub', 100]])], [assetB, sheet([['ben', 100]], [])]] as const) {
      const res = await t.app.inject({ method: 'PUT', url: `/api/swayzio/v1/tracks/${asset}/split-sheet`, headers: admin, payload: body });
      expect(res.statusCode, res.body).toBe(200);
    }
  });
  afterAll(async () => t?.close());

  it("lists an asset's works from its split sheet, with writers, publishers and shares", async () => {
    const res = await t.app.inject({ url: `/asset/${assetA}/works`, headers: admin });
    expect(res.statusCode).toBe(200);
    const [work] = res.json().data;
    expect(work).toMatchObject({ workId: assetA, title: 'First Work', recording: { albumTitle: 'Works Album', upc } });
    expect(work.writers).toEqual([
      expect.objectContaining({ name: 'Ada Lovelace', ipi: '00012345678', society: '052', share: 66.67, performingShare: 33.33 }),
      expect.objectContaining({ name: 'Ben Writer', society: '010', share: 33.33, performingShare: 16.67 }),
    ]);
    expect(work.publishers).toEqual([expect.objectContaining({ name: 'Harbour Songs Ltd', share: 100, performingShare: 50, mechanicalShare: 100 })]);
    const bare = (await t.app.inject({ method: 'POST', url: '/asset', headers: admin, payload: { title: 'No sheet' } })).json().data;
    expect((await t.app.inject({ url: `/asset/${bare.id}/works`, headers: admin })).json().data).toEqual([]);
    expect((await t.app.inject({ url: '/asset/none/works', headers: admin })).statusCode).toBe(404);
  });

  it('writes a CWR 2.1 file that parses back record by record: fixed widths, group and file counts, shares totalling 100%', async () => {
    const res = await t.app.inject({ url: '/works/cwr?senderId=12345678', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename="CW\d{2}0001[A-Z]{3}_000\.V21"/);
    expect(res.body.endsWith('\r\n')).toBe(true);
    const lines = res.body.split('\r\n').slice(0, -1);
    const records = lines.map((line) => {
      const r = parseRecord(line);
      expect(line.length, `${r.type} record length`).toBe(recordLength(r.type));
      return r;
    });
    const types = records.map((r) => r.type);
    expect(types[0]).toBe('HDR');
    expect(types.at(-1)).toBe('TRL');
    expect(records[0].fields).toMatchObject({ senderType: 'PB', senderId: '012345678', senderName: 'ACME', ediVersion: '01.10' });
    expect(types.filter((x) => x === 'NWR')).toHaveLength(2);
    for (const needed of ['GRH', 'SPU', 'SPT', 'SWR', 'SWT', 'PWR', 'PER', 'REC', 'ORN', 'GRT']) expect(types, needed).toContain(needed);

    const grt = records.find((r) => r.type === 'GRT')!;
    const grh = types.indexOf('GRH');
    expect(Number(grt.fields.transactionCount)).toBe(2);
    expect(Number(grt.fields.recordCount)).toBe(types.indexOf('GRT') - grh + 1);
    const trl = records.at(-1)!;
    expect(Number(trl.fields.groupCount)).toBe(1);
    expect(Number(trl.fields.transactionCount)).toBe(2);
    expect(Number(trl.fields.recordCount)).toBe(records.length);

    // Per work: ownership of each right over writers and publishers totals exactly 100.00%.
    const works: Array<typeof records> = [];
    for (const r of records) {
      if (r.type === 'NWR' || r.type === 'REV') works.push([r]);
      else if (works.length && !['GRT', 'TRL'].includes(r.type)) works.at(-1)!.push(r);
    }
    for (const w of works) {
      for (const right of ['prShare', 'mrShare', 'srShare']) {
        const total = w.filter((r) => r.type === 'SWR' || r.type === 'SPU').reduce((n, r) => n + Number(r.fields[right]), 0);
        expect(total, `${w[0].fields.workTitle} ${right}`).toBe(10000);
      }
      w.forEach((r, i) => expect(Number(r.fields.recordSequence)).toBe(i));
    }
    const first = works.find((w) => w[0].fields.workTitle === 'FIRST WORK')!;
    expect(first.filter((r) => r.type === 'SWR').map((r) => [r.fields.lastName, r.fields.firstName, r.fields.prShare, r.fields.prSociety])).toEqual([
      ['LOVELACE', 'ADA', '03333', '052'],
      ['WRITER', 'BEN', '01667', '010'],
    ]);
    expect(first.filter((r) => r.type === 'PWR')).toHaveLength(2);
    expect(first.find((r) => r.type === 'REC')!.fields).toMatchObject({ ean: `0${upc}`, firstAlbumTitle: 'WORKS ALBUM', firstReleaseDate: '20270305' });
    const second = works.find((w) => w[0].fields.workTitle === 'SECOND WORK')!;
    expect(second.find((r) => r.type === 'SWR')!.fields).toMatchObject({ prShare: '10000', mrShare: '10000' });
    expect(second.some((r) => r.type === 'SPU')).toBe(false);
  });

  it('sends works changed since a date, those registered before as REV', async () => {
    const future = (await t.app.inject({ url: '/works/cwr?since=2999-01-01', headers: admin })).body.split('\r\n').slice(0, -1).map((l) => l.slice(0, 3));
    expect(future).toEqual(['HDR', 'TRL']);
    const cut = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const res = await t.app.inject({ method: 'PUT', url: `/api/swayzio/v1/tracks/${assetB}/split-sheet`, headers: admin, payload: { master: [{ collaboratorId: people.label, percentage: 100 }], writers: [{ collaboratorId: people.ada, percentage: 100 }], publishers: [] } });
    expect(res.statusCode).toBe(200);
    const types = (await t.app.inject({ url: `/works/cwr?since=${encodeURIComponent(cut)}`, headers: admin })).body.split('\r\n').slice(0, -1).map((l) => l.slice(0, 3));
    expect(types.filter((x) => x === 'REV')).toHaveLength(1);
    expect(types).not.toContain('NWR');
    expect((await t.app.inject({ url: '/works/cwr?since=yesterday', headers: admin })).statusCode).toBe(400);
  });
});
