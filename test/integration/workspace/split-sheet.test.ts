import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { client, createTrack, type Client } from './workspace-api.js';

describe.each(dialects())('workspace split sheets and collaborators (%s)', (dialect) => {
  let t: TestApp;
  let alice: Client;
  let bob: Client;
  let trackId: string;
  const people: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
    bob = client(t, await t.token({ user: 'bob', role: 'member' }));
    trackId = await createTrack(t, alice, { name: 'Low Tide.wav', bytes: toneBytes({ seconds: 1 }) });
    await alice.patch(`/tracks/${trackId}/metadata`, { artist: 'The Fixtures' });
    for (const [key, body] of Object.entries({
      label: { name: 'Saltwater Records Ltd', email: 'rights@saltwater.test' },
      ada: { name: 'Ada Fixture', pro: 'PRS', ipi: '00123456789' },
      ben: { name: 'Ben Fixture', pro: 'PRS', ipi: '00987654321' },
      mara: { name: 'Mara Quell', pro: 'ASCAP' },
      pub: { name: 'Harbour Music Publishing' },
      sub: { name: 'Tide Sub-Publishing' },
      society: { name: 'Collecting Society' },
    })) {
      const res = await alice.post('/collaborators', body);
      expect(res.statusCode).toBe(201);
      people[key] = res.json().id;
    }
  });
  afterAll(async () => t?.close());

  const good = () => ({
    address: 'Studio 4, 12 Harbour Road',
    intendedUse: 'Sync licensing',
    master: [
      { collaboratorId: people.label, percentage: 50 },
      { collaboratorId: people.ada, percentage: 50 },
    ],
    writers: [
      { collaboratorId: people.ada, percentage: 33.34 },
      { collaboratorId: people.ben, percentage: '33.33' },
      { collaboratorId: people.mara, percentage: 33.33 },
    ],
    publishers: [
      {
        collaboratorId: people.pub,
        percentage: 100,
        subPublishers: [{ collaboratorId: people.sub, percentage: 100 }],
        collectionSplits: [
          { collaboratorId: people.society, percentage: 60, territory: 'GB' },
          { collaboratorId: people.society, percentage: 40, territory: 'US' },
        ],
      },
    ],
  });

  it('manages collaborators with name, email, PRO and IPI', async () => {
    const list = (await alice.get('/collaborators')).json();
    expect(list.records.map((c: { name: string }) => c.name)).toContain('Ada Fixture');
    expect(list.records.find((c: { name: string }) => c.name === 'Ada Fixture')).toMatchObject({ pro: 'PRS', ipi: '00123456789' });
    expect(JSON.stringify(list)).not.toContain('ownerUserId');
    expect((await bob.get('/collaborators')).json().records).toEqual([]);
    expect((await bob.get(`/collaborators/${people.ada}`)).statusCode).toBe(404);
    expect((await alice.post('/collaborators', { name: 'X', ipi: '12' })).json().issues[0].path).toBe('body.ipi');
    expect((await alice.post('/collaborators', { name: 'X', email: 'not-an-email' })).statusCode).toBe(400);
    expect((await alice.post('/collaborators', { name: '' })).statusCode).toBe(400);
    const temp = (await alice.post('/collaborators', { name: 'Temp' })).json();
    expect((await alice.patch(`/collaborators/${temp.id}`, { pro: 'BMI' })).json()).toMatchObject({ name: 'Temp', pro: 'BMI' });
    expect((await alice.del(`/collaborators/${temp.id}`)).statusCode).toBe(204);
    expect((await alice.get(`/collaborators/${temp.id}`)).json().error).toBe('collaborator_not_found');
  });

  it('replaces a balanced sheet and returns it without owner ids; rights are derived from it', async () => {
    const put = await alice.put(`/tracks/${trackId}/split-sheet`, good());
    expect(put.statusCode).toBe(200);
    const sheet = put.json();
    expect(sheet).toMatchObject({ trackId, address: 'Studio 4, 12 Harbour Road', intendedUse: 'Sync licensing', status: { isBalanced: true } });
    expect(sheet.writers.map((w: { percentage: number }) => w.percentage)).toEqual([33.34, 33.33, 33.33]);
    expect(sheet.writers[0].collaborator).toEqual({ id: people.ada, name: 'Ada Fixture', pro: 'PRS', ipi: '00123456789' });
    expect(sheet.publishers[0].subPublishers[0].collaborator.name).toBe('Tide Sub-Publishing');
    expect(sheet.publishers[0].collectionSplits.map((c: { territory: string }) => c.territory)).toEqual(['GB', 'US']);
    expect(JSON.stringify(sheet)).not.toMatch(/ownerId|ownerUserId|email/);
    expect((await alice.get(`/tracks/${trackId}/split-sheet`)).json()).toEqual(sheet);

    const rights = (await alice.get(`/tracks/${trackId}/rights`)).json();
    expect(rights.status).toMatchObject({ isComplete: true, validationErrors: [] });
    expect(rights.status.validatedAt).toBe(sheet.status.validatedAt);
    const ada = rights.entries.find((e: { collaboratorId: string }) => e.collaboratorId === people.ada);
    expect(ada).toEqual({ collaboratorId: people.ada, name: 'Ada Fixture', masterShare: 50, writerShare: 33.34, publisherShare: 0 });
    expect(rights.entries.find((e: { collaboratorId: string }) => e.collaboratorId === people.pub)).toMatchObject({ publisherShare: 100 });

    const inUse = await alice.del(`/collaborators/${people.ada}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error).toBe('collaborator_in_use');
    expect((await bob.get(`/tracks/${trackId}/split-sheet`)).json().error).toBe('track_not_found');
    expect((await bob.put(`/tracks/${trackId}/split-sheet`, good())).json().error).toBe('track_not_found');
  });

  it('refuses each structural fault with 422 and names it', async () => {
    const cases: Array<[string, (s: ReturnType<typeof good>) => void, string, string]> = [
      ['master over 100', (s) => (s.master[0].percentage = 60), 'master', 'sum_not_100'],
      ['writers under 100', (s) => (s.writers[2].percentage = 33.32), 'writers', 'sum_not_100'],
      ['collection splits off', (s) => (s.publishers[0].collectionSplits[1].percentage = 30), 'publishers[0].collectionSplits', 'sum_not_100'],
      ['sub-publishers off', (s) => (s.publishers[0].subPublishers[0].percentage = 90), 'publishers[0].subPublishers', 'sum_not_100'],
      ['publishers off', (s) => (s.publishers[0].percentage = 99.99), 'publishers', 'sum_not_100'],
      ['duplicate writer', (s) => (s.writers[1].collaboratorId = people.ada), 'writers[1].collaboratorId', 'duplicate_collaborator'],
      ['negative share', (s) => s.master.push({ collaboratorId: people.ben, percentage: -10 }), 'master[2].percentage', 'non_positive_share'],
      ['zero share', (s) => s.writers.push({ collaboratorId: people.label, percentage: 0 }), 'writers[3].percentage', 'non_positive_share'],
      ['three decimals', (s) => (s.writers[0].percentage = 33.335), 'writers[0].percentage', 'too_many_decimals'],
      ['empty master', (s) => (s.master = []), 'master', 'empty_list'],
      ['empty writers', (s) => (s.writers = []), 'writers', 'empty_list'],
      ['unknown collaborator', (s) => (s.master[1].collaboratorId = 'col_missing'), 'master[1].collaboratorId', 'unknown_collaborator'],
      ['blank collaborator', (s) => (s.master[1].collaboratorId = ' '), 'master[1].collaboratorId', 'missing_collaborator'],
    ];
    for (const [name, mutate, path, code] of cases) {
      const body = good();
      mutate(body);
      const res = await alice.put(`/tracks/${trackId}/split-sheet`, body);
      expect(res.statusCode, name).toBe(422);
      expect(res.json().error).toBe('split_sheet_structural_validation_failed');
      expect(res.json().issues, name).toEqual(expect.arrayContaining([expect.objectContaining({ path, code })]));
    }
    // Every fault at once, each reported.
    const messy = good();
    messy.master[0].percentage = 10;
    messy.writers[1].collaboratorId = people.ada;
    const res = (await alice.put(`/tracks/${trackId}/split-sheet`, messy)).json();
    expect(res.issues.map((i: { code: string }) => i.code)).toEqual(expect.arrayContaining(['sum_not_100', 'duplicate_collaborator']));
    // Another user's collaborator is unknown to this owner.
    const bobs = (await bob.post('/collaborators', { name: 'Bob Person' })).json();
    const foreign = good();
    foreign.master[1].collaboratorId = bobs.id;
    expect((await alice.put(`/tracks/${trackId}/split-sheet`, foreign)).json().issues[0].code).toBe('unknown_collaborator');
    // Shape errors are 400, not 422.
    expect((await alice.put(`/tracks/${trackId}/split-sheet`, { master: 'all of it', writers: [] })).statusCode).toBe(400);
    expect((await alice.put(`/tracks/${trackId}/split-sheet`, { writers: [] })).statusCode).toBe(400);
    let deep: Record<string, unknown> = { collaboratorId: people.pub, percentage: 100 };
    for (let i = 0; i < 2000; i++) deep = { collaboratorId: people.pub, percentage: 100, subPublishers: [deep] };
    expect((await alice.put(`/tracks/${trackId}/split-sheet`, { ...good(), publishers: [deep] })).statusCode).toBe(400);
    // The stored sheet is untouched by refused writes.
    expect((await alice.get(`/tracks/${trackId}/split-sheet`)).json().master[0].percentage).toBe(50);
  });

  it('creates, lists and revokes review links, whose public read shows names and shares only', async () => {
    expect((await alice.get(`/tracks/${trackId}/split-sheet/share-links`)).json()).toEqual({ records: [] });
    const created = await alice.post(`/tracks/${trackId}/split-sheet/share-links`, { name: 'For the co-writers' });
    expect(created.statusCode).toBe(201);
    const link = created.json();
    expect(link.sharePath).toBe(`/s/split/${link.token}`);
    const listed = (await alice.get(`/tracks/${trackId}/split-sheet/share-links`)).json();
    expect(listed.records).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(link.token);

    const anon = client(t, null);
    const review = await anon.get(`/public/split-sheet-links/${link.token}`);
    expect(review.statusCode).toBe(200);
    const body = review.json();
    expect(body).toMatchObject({ trackTitle: 'Low Tide', trackArtist: 'The Fixtures', address: 'Studio 4, 12 Harbour Road', balanced: true, issues: [] });
    expect(body.writers[0]).toEqual({ name: 'Ada Fixture', pro: 'PRS', ipi: '00123456789', percentage: 33.34 });
    expect(body.publishers[0]).toEqual({ name: 'Harbour Music Publishing', percentage: 100, subPublishers: [{ name: 'Tide Sub-Publishing', percentage: 100 }] });
    expect(JSON.stringify(body)).not.toMatch(/collaboratorId|email|owner/);
    const moduleView = await t.container.modules.workspace.publicLinks.splitSheetReview(link.token);
    expect(moduleView.validatedAt).toBe(body.validatedAt);
    expect((await alice.get(`/tracks/${trackId}/split-sheet/share-links`)).json().records[0].stats.views).toBe(2);
    // A review token is not a playback token.
    expect((await anon.get(`/public/track-links/${link.token}`)).statusCode).toBe(404);

    expect((await bob.del(`/tracks/${trackId}/split-sheet/share-links/${link.id}`)).statusCode).toBe(404);
    const revoked = await alice.del(`/tracks/${trackId}/split-sheet/share-links/${link.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: link.id, status: 'revoked' });
    expect((await anon.get(`/public/split-sheet-links/${link.token}`)).json()).toEqual({ error: 'share_link_not_found' });
    expect((await alice.del(`/tracks/${trackId}/split-sheet/share-links/${link.id}`)).statusCode).toBe(404);
  });
});
