import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { startReceiver, until, verifySignature, type Receiver } from '../collections/webhook-receiver.js';
import { client, createTrack, type Client } from './workspace-api.js';

/** Workspace tracks (never filed in a collection) report processing and sharing to the organization's webhook. */
describe.each(dialects())('workspace: webhooks (%s)', (dialect) => {
  let t: TestApp;
  let hooks: Receiver;
  let alice: Client;
  let secret: string;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    hooks = await startReceiver();
    const admin = await t.token({ user: 'root', role: 'admin' });
    const set = await t.app.inject({ method: 'PUT', url: '/admin/webhooks', headers: bearer(admin), payload: { url: hooks.url } });
    expect(set.statusCode).toBe(200);
    secret = set.json().secret;
    await t.container.startWorkers();
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
  });
  afterAll(async () => {
    await t?.close();
    await hooks?.close();
  });

  const of = (event: string, trackId: string) => hooks.received.filter((r) => r.headers['x-ledgerline-event'] === event && r.body.track_id === trackId);

  it('sends track.ready once for an uploaded track, signed, and share_link.viewed and split_sheet.updated as they happen', async () => {
    const trackId = await createTrack(t, alice, { name: 'Harbour.wav', bytes: toneBytes({ seconds: 1 }) });
    const ready = await until('track.ready', async () => of('track.ready', trackId)[0]);
    expect(ready.body).toMatchObject({ track_id: trackId, asset_id: expect.any(String) });
    expect(verifySignature(secret, ready)).toBe(true);

    const link = await alice.post(`/tracks/${trackId}/share-links`, {});
    expect(link.statusCode).toBe(201);
    const card = await t.app.inject({ url: `/api/swayzio/v1/public/track-links/${link.json().token}` });
    expect(card.statusCode).toBe(200);
    const viewed = await until('share_link.viewed', async () => of('share_link.viewed', trackId)[0]);
    expect(viewed.body).toMatchObject({ track_id: trackId, share_link_id: link.json().id });

    const person = (await alice.post('/collaborators', { name: 'Ada Fixture' })).json().id;
    const sheet = { master: [{ collaboratorId: person, percentage: 100 }], writers: [{ collaboratorId: person, percentage: 100 }], publishers: [] };
    const put = await alice.put(`/tracks/${trackId}/split-sheet`, sheet);
    expect(put.statusCode, put.body).toBe(200);
    await until('split_sheet.updated', async () => of('split_sheet.updated', trackId)[0]);

    await t.container.queue.onIdle({ timeoutMs: 30_000 });
    expect(of('track.ready', trackId)).toHaveLength(1);
    expect(of('track.failed', trackId)).toHaveLength(0);
  });
});
