import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { bearer, createTestApp, dialects } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { organization, setup, uploadTo, type Org } from './setup.js';
import { startHangingReceiver, startReceiver, until, verifySignature as verify, type Receiver } from './webhook-receiver.js';

describe.each(dialects())('collections: webhooks (%s)', (dialect) => {
  let t: TestApp;
  let org: Org;
  let hooks: Receiver;
  let secret: string;
  const deliveries = () => t.container.db.selectFrom('webhookDeliveries').selectAll().where('tenantId', '=', org.tenantId).orderBy('createdAt').execute();
  const settled = async () => (await deliveries()).every((d) => d.status === 'delivered' || d.status === 'failed');

  beforeAll(async () => {
    ({ t, org } = await setup(dialect));
    hooks = await startReceiver();
    const admin = await t.token({ tenant: 'org-a', user: 'admin', role: 'admin' });
    const res = await t.app.inject({ method: 'PUT', url: '/admin/webhooks', headers: bearer(admin), payload: { url: hooks.url } });
    secret = res.json().secret;
    await t.container.startWorkers();
  });
  afterAll(async () => {
    await t?.close();
    await hooks?.close();
  });

  it('signs collection events and retries a failed delivery with backoff', async () => {
    hooks.failNextRequests(1);
    const id = (await org.api.post('/v1/collection', { title: 'Hooked' })).body.collection_id;
    await org.api.put(`/v1/collection/${id}`, { title: 'Hooked again' });
    await until('deliveries', async () => hooks.received.length >= 2 && (await settled()));
    const created = hooks.received.find((r) => r.body.event === 'collection.created')!;
    expect(created.headers['x-ledgerline-event']).toBe('collection.created');
    expect(created.headers['content-type']).toBe('application/json');
    expect(verify(secret, created)).toBe(true);
    expect(verify('whsec_wrong', created)).toBe(false);
    expect(created.body).toMatchObject({ event: 'collection.created', organization_id: org.tenantId, collection_id: id, collection: { id, title: 'Hooked' } });
    const updated = hooks.received.find((r) => r.body.event === 'collection.updated')!;
    expect(updated.body.collection.title).toBe('Hooked again');
    expect(verify(secret, updated)).toBe(true);

    const rows = await deliveries();
    expect(rows.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(rows.find((d) => d.event === 'collection.created')!.attempts + rows.find((d) => d.event === 'collection.updated')!.attempts).toBe(3);
    expect(rows.every((d) => d.responseCode === 204 && d.deliveredAt)).toBe(true);

    await org.api.del(`/v1/collection/${id}`);
    const deleted = await until('collection.deleted', async () => hooks.received.find((r) => r.body.event === 'collection.deleted'));
    expect(deleted.body.collection_id).toBe(id);

    // An admin sees the deliveries, newest first, with what the receiver answered.
    const admin = await t.token({ tenant: 'org-a', user: 'admin', role: 'admin' });
    const listed = await t.app.inject({ url: '/admin/webhooks?limit=2', headers: bearer(admin) });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ url: hooks.url, signatureHeader: 'X-Ledgerline-Signature' });
    expect(listed.json()).not.toHaveProperty('secret');
    const recent = listed.json().deliveries as Array<{ event: string; status: string; attempts: number; responseCode: number | null }>;
    expect(recent).toHaveLength(2);
    expect(recent[0].event).toBe('collection.deleted');
    expect(recent[1]).toMatchObject({ event: 'collection.updated', status: 'delivered', responseCode: 204 });
    const member = await t.token({ tenant: 'org-a', user: 'member', role: 'member' });
    expect((await t.app.inject({ url: '/admin/webhooks', headers: bearer(member) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/admin/webhooks?limit=0', headers: bearer(admin) })).statusCode).toBe(400);
  });

  it('reports files and the terminal status of a processed track', async () => {
    const collectionId = (await org.api.post('/v1/collection', { title: 'Audio' })).body.collection_id;
    const created = await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'hook.wav' });
    const trackId = created.body.track_id;
    await uploadTo(t, created.body.track_upload, toneBytes({ seconds: 2 }));
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    const status = await until('track.status_changed', async () => hooks.received.find((r) => r.body.event === 'track.status_changed' && r.body.track_id === trackId));
    expect(verify(secret, status)).toBe(true);
    expect(status.body).toMatchObject({
      event: 'track.status_changed',
      status: 'ready',
      previous_status: null,
      organization_id: org.tenantId,
      collection_id: collectionId,
      track_id: trackId,
      track: {
        id: trackId, track_status_id: 'ready', files_completed_at: expect.any(String),
        index: expect.any(String), file_name_original: expect.any(String), order: expect.any(Number),
        format: { container: expect.any(String), codec: expect.any(String), sample_rate: 44100, channels: expect.any(Number) },
      },
    });
    expect(status.body.files.map((f: { variant: { index: string } }) => f.variant.index).sort()).toEqual(['hq', 'lq', 'original']);
    expect(status.body.files.every((f: { is_success: boolean }) => f.is_success)).toBe(true);

    await until('file events', async () => hooks.received.filter((r) => r.body.event === 'track_file.created' && r.body.track_id === trackId).length >= 4);
    const files = hooks.received.filter((r) => r.body.event === 'track_file.created' && r.body.track_id === trackId);
    expect(files.map((f) => f.body.file.variant.index).sort()).toEqual(['hq', 'levels', 'lq', 'original']);
    expect(files.every((f) => f.body.status === 'success' && f.body.file.is_success && verify(secret, f))).toBe(true);
    // Exactly one status event: the terminal status is reported once.
    expect(hooks.received.filter((r) => r.body.event === 'track.status_changed' && r.body.track_id === trackId)).toHaveLength(1);

    const variant = await org.api.post(`/v1/track/${trackId}/variant`, { variant_type_id: 'transcode', index: 'mp3-64', codec: 'mp3', bitrate: 64 });
    expect(variant.status).toBe(200);
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    const again = await until('second status event', async () => {
      const events = hooks.received.filter((r) => r.body.event === 'track.status_changed' && r.body.track_id === trackId);
      return events.length === 2 && events[1];
    });
    expect(again.body).toMatchObject({ status: 'ready', previous_status: 'processing' });
    const variantFile = await until('variant file event', async () => hooks.received.find((r) => r.body.event === 'track_file.created' && r.body.file.variant.index === 'mp3-64'));
    expect(variantFile.body.file).toMatchObject({ is_success: true, content_type: 'audio/mpeg', variant: { variant_type: { id: 'transcode' } } });
  });

  it('reports a track whose file is not audio as failed', async () => {
    const collectionId = (await org.api.post('/v1/collection', { title: 'Broken' })).body.collection_id;
    const created = await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'notes.mp3' });
    const trackId = created.body.track_id;
    await uploadTo(t, created.body.track_upload, Buffer.from('this is not audio at all, just some text '.repeat(40)));
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    expect((await org.api.get(`/v1/track/${trackId}`)).body.track.track_status_id).toBe('failed');
    const event = await until('failed status', async () => hooks.received.find((r) => r.body.event === 'track.status_changed' && r.body.track_id === trackId));
    expect(event.body).toMatchObject({ status: 'failed', previous_status: null, track: { track_status_id: 'failed' } });
    const session = await org.api.post('/v1/play_session/track', { track_id: trackId });
    expect(session.body.first_track).toBeNull();
  });

  it('records nothing for an organization without a webhook URL', async () => {
    const admin = await t.token({ tenant: 'org-a', user: 'admin', role: 'admin' });
    await t.app.inject({ method: 'PUT', url: '/admin/webhooks', headers: bearer(admin), payload: { url: null } });
    const before = (await deliveries()).length;
    await org.api.post('/v1/collection', { title: 'Quiet' });
    expect((await deliveries()).length).toBe(before);
  });

  it('cuts a receiver that hangs at the timeout, retries, and records the delivery as timeout when the last attempt hangs too', async () => {
    const own = await createTestApp({ dialect, env: { WEBHOOK_TIMEOUT_SECONDS: '0.3' } });
    const hang = await startHangingReceiver();
    try {
      const other = await organization(own, 'org-hang');
      const admin = await own.token({ tenant: 'org-hang', user: 'admin', role: 'admin' });
      expect((await own.app.inject({ method: 'PUT', url: '/admin/webhooks', headers: bearer(admin), payload: { url: hang.url } })).statusCode).toBe(200);
      await own.container.startWorkers();
      await other.api.post('/v1/collection', { title: 'Unheard' });
      const listed = async () => (await own.app.inject({ url: '/admin/webhooks', headers: bearer(admin) })).json().deliveries as Array<Record<string, any>>;
      // The first attempt is cut at the timeout and queued again.
      const first = await until('a cut attempt', async () => (await listed()).find((x) => x.attempts >= 1), 20_000);
      expect(first).toMatchObject({ event: 'collection.created', status: 'retrying', responseCode: null, lastError: 'no answer within 0.3 s' });
      await own.container.queue.stop();
      // The last attempt (the queue's backoff would take a minute to get there) hangs as well.
      const ctx = { id: 'last', attempt: 7, maxAttempts: 7, signal: new AbortController().signal };
      const started = Date.now();
      await own.container.modules.collections.webhooks.deliver({ tenantId: other.tenantId, deliveryId: first.id }, ctx);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await listed()).find((x) => x.id === first.id)).toMatchObject({ status: 'timeout', responseCode: null, lastError: 'no answer within 0.3 s', deliveredAt: null });
    } finally {
      await own.close();
      await hang.close();
    }
  });
});
