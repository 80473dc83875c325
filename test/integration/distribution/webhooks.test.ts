import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { startHangingReceiver, startReceiver, until, verifySignature, type Received, type Receiver } from '../collections/webhook-receiver.js';
import { toneBytes } from '../../helpers/audio.js';
import { catalog, createOn } from '../catalog/surfaces.js';
import { createRelease, type Headers } from './fixtures.js';

/** What a Royalti receiver checks: hex HMAC-SHA256 of the raw body with the webhook secret. */
const royaltiSigned = (secret: string, r: Received) =>
  r.headers['x-royalti-signature'] === `sha256=${createHmac('sha256', secret).update(r.raw).digest('hex')}`;

/** Turns the tenant's webhook on, pointing at `url`; returns the signing secret. */
async function subscribe(t: TestApp, h: Headers, url: string, events?: string[]): Promise<string> {
  const set = await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-url', headers: h, payload: { webhookUrl: url } });
  expect(set.statusCode, set.body).toBe(200);
  const on = await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-isActive', headers: h, payload: { isActive: true } });
  expect(on.statusCode, on.body).toBe(200);
  if (events) expect((await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-enabledEvents', headers: h, payload: { enabledEvents: events } })).statusCode).toBe(200);
  return set.json().data.webhookSecret;
}


describe.each(dialects())('distribution: webhooks (%s)', (dialect) => {
  describe('settings, events and payloads', () => {
    let t: TestApp;
    let hooks: Receiver;
    let admin: Headers;
    let secret: string;

    beforeAll(async () => {
      t = await createTestApp({ dialect, env: { WEBHOOK_RETRY_BASE_SECONDS: '0.2' } });
      hooks = await startReceiver();
      admin = bearer(await t.token({ user: 'root', role: 'admin' }));
      await t.container.startWorkers();
    });
    afterAll(async () => {
      await t?.close();
      await hooks?.close();
    });

    const sent = (event: string, id?: string) => hooks.received.filter((r) => r.body.event === event && (!id || r.body.data.resource.id === id));

    it('is configured by admins only: URL (secret shown once), on/off, events checked by name', async () => {
      const member = bearer(await t.token({ user: 'mo', role: 'member' }));
      expect((await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-url', payload: { webhookUrl: hooks.url } })).statusCode).toBe(401);
      const refused = await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-url', headers: member, payload: { webhookUrl: hooks.url } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ status: 'error' });

      const early = await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-isActive', headers: admin, payload: { isActive: true } });
      expect(early.statusCode).toBe(400);
      expect(early.json().message).toMatch(/webhook URL/);

      secret = await subscribe(t, admin, hooks.url);
      expect(secret).toMatch(/^whsec_/);
      const shown = await t.app.inject({ url: '/tenant/settings/webhook', headers: admin });
      expect(shown.json().data).toEqual({ webhookUrl: hooks.url, isActive: true, enabledEvents: null, updatedAt: expect.any(String) });
      expect(shown.body).not.toContain(secret);

      const unknown = await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-enabledEvents', headers: admin, payload: { enabledEvents: ['ASSET_CREATED', 'TRACK_EXPLODED'] } });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().message).toContain('TRACK_EXPLODED');
      const bad = await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-url', headers: admin, payload: { webhookUrl: 'ftp://example.com/x' } });
      expect(bad.statusCode).toBe(400);
      // The documented example's financial events are accepted (they never fire here).
      const documented = await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-enabledEvents', headers: admin, payload: { enabledEvents: ['PAYMENT_COMPLETED', 'ROYALTY_FILE_PROCESSED'] } });
      expect(documented.statusCode).toBe(200);
      expect(documented.json().data.enabledEvents).toEqual(['PAYMENT_COMPLETED', 'ROYALTY_FILE_PROCESSED']);
      await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-enabledEvents', headers: admin, payload: { enabledEvents: [...'ASSET_CREATED ASSET_UPDATED ASSET_DELETED PRODUCT_CREATED PRODUCT_UPDATED PRODUCT_DELETED ARTIST_CREATED ARTIST_UPDATED ARTIST_DELETED USER_CREATED USER_UPDATED RELEASE_STATUS_CHANGED'.split(' ')] } });
    });

    it('sends catalog and roster events in the documented payload, signed, with previous values on updates', async () => {
      const artist = (await t.app.inject({ method: 'POST', url: '/artist', headers: admin, payload: { artistName: 'Nova', label: 'Indie' } })).json().data;
      await t.app.inject({ method: 'PUT', url: `/artist/${artist.id}`, headers: admin, payload: { label: 'Major' } });
      const created = await until('ARTIST_CREATED', async () => sent('ARTIST_CREATED', artist.id)[0]);
      const updated = await until('ARTIST_UPDATED', async () => sent('ARTIST_UPDATED', artist.id)[0]);

      expect(created.body).toEqual({
        id: expect.stringMatching(/^whd_[0-9a-f-]{36}$/),
        event: 'ARTIST_CREATED',
        timestamp: expect.any(String),
        version: '1.0',
        tenant: { id: expect.any(String), name: 'acme', domain: 'ledgerline.test' },
        source: { service: 'ledgerline', environment: expect.any(String), traceId: expect.any(String) },
        data: {
          event: { id: expect.any(String), type: 'ARTIST_CREATED', category: 'roster', timestamp: expect.any(String), importance: 'normal' },
          actor: { id: expect.any(String), type: 'user', name: 'root', email: null },
          resource: { type: 'artist', id: artist.id, url: `http://ledgerline.test/artist/${artist.id}`, displayName: 'Nova' },
          attributes: expect.objectContaining({ artistName: 'Nova', label: 'Indie' }),
          previous: {},
        },
        delivery: { attempt: 1, maxAttempts: 3, nextRetryAt: expect.any(String) },
      });
      expect(updated.body.data.attributes.label).toBe('Major');
      expect(updated.body.data.previous).toEqual({ label: 'Indie' });
      for (const r of [created, updated]) {
        expect(royaltiSigned(secret, r)).toBe(true);
        expect(verifySignature(secret, r)).toBe(true);
        expect(r.headers['x-royalti-event']).toBe(r.body.event);
      }

      const asset = (await t.app.inject({ method: 'POST', url: '/asset', headers: admin, payload: { title: 'Harbour', displayArtist: 'Nova', isrc: 'USLL12600001' } })).json().data;
      expect(asset.id).toEqual(expect.any(String));
      await t.app.inject({ method: 'PUT', url: `/asset/${asset.id}`, headers: admin, payload: { title: 'Harbour Lights' } });
      const assetUpdated = await until('ASSET_UPDATED', async () => sent('ASSET_UPDATED', asset.id)[0]);
      expect(assetUpdated.body.data.previous).toMatchObject({ title: 'Harbour' });
      expect(assetUpdated.body.data.attributes).toMatchObject({ title: 'Harbour Lights', isrc: 'USLL12600001' });
      expect(sent('ASSET_CREATED', asset.id)).toHaveLength(1);

      const product = (await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'Harbour EP' } })).json().data;
      await t.app.inject({ method: 'PUT', url: `/product/${product.id}`, headers: admin, payload: { title: 'Harbour EP (Deluxe)' } });
      await t.app.inject({ method: 'DELETE', url: `/product/${product.id}`, headers: admin });
      await t.app.inject({ method: 'DELETE', url: `/asset/${asset.id}`, headers: admin });
      await until('PRODUCT_DELETED', async () => sent('PRODUCT_DELETED', product.id)[0]);
      const productUpdated = await until('PRODUCT_UPDATED', async () => sent('PRODUCT_UPDATED', product.id)[0]);
      expect(productUpdated.body.data.previous).toMatchObject({ title: 'Harbour EP' });
      const assetDeleted = await until('ASSET_DELETED', async () => sent('ASSET_DELETED', asset.id)[0]);
      expect(assetDeleted.body.data).toMatchObject({ event: { importance: 'high', category: 'catalog' }, attributes: { title: 'Harbour Lights', isrc: 'USLL12600001' } });
    });

    it('reports tracks of the other surfaces as assets, users, and release status changes', async () => {
      // A tenant's track is one of its assets, whichever API made it.
      const c = await catalog(t, toneBytes({ seconds: 1 }));
      for (const [surface, title] of [['collections', 'Collections Song'], ['workspace', 'Workspace Song']] as const) {
        const { id } = await createOn(c, surface, title);
        const hook = await until(`ASSET_CREATED from ${surface}`, async () => sent('ASSET_CREATED', id)[0]);
        expect(hook.body.data.actor).toMatchObject({ type: 'user' });
      }

      const minted = await t.app.inject({ method: 'POST', url: '/admin/tokens', headers: admin, payload: { user: 'newcomer', role: 'member' } });
      expect(minted.statusCode).toBe(201);
      const userId = minted.json().userId;
      await until('USER_CREATED', async () => sent('USER_CREATED', userId)[0]);
      expect((await t.app.inject({ method: 'PUT', url: `/admin/users/${userId}`, headers: admin, payload: { role: 'guest' } })).statusCode).toBe(200);
      const roleChange = await until('USER_UPDATED', async () => sent('USER_UPDATED', userId)[0]);
      expect(roleChange.body.data).toMatchObject({ attributes: { role: 'guest' }, previous: { role: 'member' }, actor: { type: 'user', name: 'root' } });

      const rel = await createRelease(t, admin, { releaseDate: '2026-01-01', tracks: [{ title: 'Only', displayArtist: 'The Wave Collective', isrc: 'USLL12600009' }] });
      expect((await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/tracks/${rel.tracks[0].id}/media/link`, headers: admin, payload: { url: 'https://example.com/only.wav', type: 'audio' } })).statusCode).toBe(200);
      const submitted = await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/submit`, headers: admin });
      expect(submitted.statusCode, submitted.body).toBe(200);
      const change = await until('RELEASE_STATUS_CHANGED', async () => sent('RELEASE_STATUS_CHANGED', rel.id)[0]);
      expect(change.body.data).toMatchObject({ attributes: { status: 'submitted' }, previous: { status: 'draft' }, event: { importance: 'high' } });
    });

    it('sends only the enabled events, and lists, filters, summarises and shows deliveries', async () => {
      await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-enabledEvents', headers: admin, payload: { enabledEvents: ['PRODUCT_CREATED'] } });
      const before = hooks.received.length;
      const artist = (await t.app.inject({ method: 'POST', url: '/artist', headers: admin, payload: { artistName: 'Quiet' } })).json().data;
      const product = (await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'Only This' } })).json().data;
      await until('PRODUCT_CREATED', async () => sent('PRODUCT_CREATED', product.id)[0]);
      await t.container.queue.onIdle({ timeoutMs: 20_000 });
      expect(hooks.received.slice(before).map((r) => r.body.event)).toEqual(['PRODUCT_CREATED']);
      expect(sent('ARTIST_CREATED', artist.id)).toHaveLength(0);

      const list = await t.app.inject({ url: '/webhook-deliveries?event=PRODUCT_CREATED&status=success&size=2', headers: admin });
      expect(list.statusCode).toBe(200);
      const page = list.json();
      expect(page).toMatchObject({ success: true, totalItems: 2, totalPages: 1, currentPage: 1 });
      expect(page.data[0]).toMatchObject({ event: 'PRODUCT_CREATED', status: 'success', attempts: 1, maxAttempts: 3, responseCode: 204, resource: { type: 'product', id: product.id } });
      expect(page.data[0]).not.toHaveProperty('payload');
      const today = new Date().toISOString().slice(0, 10);
      expect((await t.app.inject({ url: `/webhook-deliveries?start=${today}&end=${today}&size=100`, headers: admin })).json().totalItems).toBeGreaterThan(5);
      expect((await t.app.inject({ url: '/webhook-deliveries?end=2000-01-01', headers: admin })).json().totalItems).toBe(0);
      expect((await t.app.inject({ url: '/webhook-deliveries?status=exploded', headers: admin })).statusCode).toBe(400);
      expect((await t.app.inject({ url: '/webhook-deliveries?start=yesterday-ish', headers: admin })).statusCode).toBe(400);

      const detail = await t.app.inject({ url: `/webhook-deliveries/${page.data[0].id}`, headers: admin });
      expect(detail.json().data.payload).toMatchObject({ id: page.data[0].id, event: 'PRODUCT_CREATED', data: { resource: { id: product.id } } });
      expect((await t.app.inject({ url: '/webhook-deliveries/whd_missing', headers: admin })).statusCode).toBe(404);

      const summary = (await t.app.inject({ url: '/webhook-deliveries/summary', headers: admin })).json().summary;
      expect(summary.byStatus).toMatchObject({ pending: 0, failed: 0, timeout: 0, cancelled: 0 });
      expect(summary.byStatus.success).toBe(summary.total);
      expect(summary.byEvent.PRODUCT_CREATED).toBe(2);
      expect(summary.successRate).toBe(100);

      // Another tenant sees none of them.
      const other = bearer(await t.token({ tenant: 'other', user: 'x', role: 'admin' }));
      expect((await t.app.inject({ url: `/webhook-deliveries/${page.data[0].id}`, headers: other })).statusCode).toBe(404);
      expect((await t.app.inject({ url: '/webhook-deliveries', headers: other })).json().totalItems).toBe(0);
      const member = bearer(await t.token({ user: 'mo', role: 'member' }));
      expect((await t.app.inject({ url: '/webhook-deliveries', headers: member })).statusCode).toBe(403);
    });

    it('retries a failing receiver with backoff, records the failure after three attempts, and retries on request', async () => {
      hooks.failNextRequests(3);
      const product = (await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'Flaky' } })).json().data;
      const failed = await until('a failed delivery', async () => {
        const rows = (await t.app.inject({ url: '/webhook-deliveries?status=failed', headers: admin })).json().data;
        return rows.find((d: { resource: { id: string } }) => d.resource.id === product.id);
      });
      expect(failed).toMatchObject({ attempts: 3, responseCode: 500, error: 'receiver answered 500', nextRetryAt: null, completedAt: expect.any(String) });
      expect(JSON.stringify(failed)).not.toContain('internal-receiver-detail');
      expect(sent('PRODUCT_CREATED', product.id)).toHaveLength(0);

      const retried = await t.app.inject({ method: 'POST', url: `/webhook-deliveries/${failed.id}/retry`, headers: admin });
      expect(retried.statusCode, retried.body).toBe(202);
      expect(retried.json().data).toMatchObject({ status: 'pending', manualRetries: 1 });
      const ok = await until('the retried delivery', async () => sent('PRODUCT_CREATED', product.id)[0]);
      expect(ok.body.id).toBe(failed.id);
      expect(ok.body.delivery.attempt).toBe(1);
      await until('success recorded', async () => (await t.app.inject({ url: `/webhook-deliveries/${failed.id}`, headers: admin })).json().data.status === 'success');
      const again = await t.app.inject({ method: 'POST', url: `/webhook-deliveries/${failed.id}/retry`, headers: admin });
      expect(again.statusCode).toBe(409);
      expect(again.json().message).toMatch(/already succeeded/);
    });

    it('cancels what is still queued when webhooks are turned off', async () => {
      hooks.failNextRequests(1);
      await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-enabledEvents', headers: admin, payload: { enabledEvents: ['PRODUCT_CREATED'] } });
      const product = (await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'Cancelled' } })).json().data;
      const pending = await until('a first failed attempt', async () => {
        const rows = (await t.app.inject({ url: '/webhook-deliveries?status=pending', headers: admin })).json().data;
        return rows.find((d: { resource: { id: string }; attempts: number }) => d.resource.id === product.id && d.attempts === 1);
      });
      await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-isActive', headers: admin, payload: { isActive: false } });
      await until('cancelled', async () => (await t.app.inject({ url: `/webhook-deliveries/${pending.id}`, headers: admin })).json().data.status === 'cancelled');
      const before = (await t.app.inject({ url: '/webhook-deliveries', headers: admin })).json().totalItems;
      await t.app.inject({ method: 'POST', url: '/product', headers: admin, payload: { title: 'Unsent' } });
      expect((await t.app.inject({ url: '/webhook-deliveries', headers: admin })).json().totalItems).toBe(before);
      await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-isActive', headers: admin, payload: { isActive: true } });
    });
  });

  it('cuts a receiver that hangs at the timeout and records the delivery as timeout', async () => {
    const t = await createTestApp({ dialect, env: { WEBHOOK_TIMEOUT_SECONDS: '0.5', WEBHOOK_RETRY_BASE_SECONDS: '0.1' } });
    const hang = await startHangingReceiver();
    try {
      const admin = bearer(await t.token({ role: 'admin' }));
      await subscribe(t, admin, hang.url, ['ARTIST_CREATED']);
      await t.container.startWorkers();
      const started = Date.now();
      await t.app.inject({ method: 'POST', url: '/artist', headers: admin, payload: { artistName: 'Silent' } });
      const d = await until('timeout', async () => (await t.app.inject({ url: '/webhook-deliveries?status=timeout', headers: admin })).json().data[0], 20_000);
      expect(d).toMatchObject({ attempts: 3, responseCode: null, error: 'no answer within 0.5 s' });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect((await t.app.inject({ url: '/webhook-deliveries/summary', headers: admin })).json().summary.byStatus.timeout).toBe(1);
    } finally {
      await t.close();
      await hang.close();
    }
  });

  it('keeps queued deliveries across a restart and sends each once', async () => {
    const first = await createTestApp({ dialect });
    const hooks = await startReceiver();
    let second: TestApp | undefined;
    try {
      const admin = bearer(await first.token({ role: 'admin' }));
      await subscribe(first, admin, hooks.url, ['ARTIST_CREATED']);
      // No workers in this process: the deliveries wait in the database when it stops.
      for (const name of ['One', 'Two']) await first.app.inject({ method: 'POST', url: '/artist', headers: admin, payload: { artistName: name } });
      expect((await first.app.inject({ url: '/webhook-deliveries?status=pending', headers: admin })).json().totalItems).toBe(2);
      await first.close({ keepData: true });

      second = await createTestApp({ dialect, reopen: first });
      await second.container.startWorkers();
      await until('both deliveries', async () => hooks.received.length >= 2);
      await second.container.queue.onIdle({ timeoutMs: 20_000 });
      expect(hooks.received.map((r) => r.body.data.attributes.artistName).sort()).toEqual(['One', 'Two']);
      const admin2 = bearer(await second.token({ role: 'admin' }));
      expect((await second.app.inject({ url: '/webhook-deliveries?status=success', headers: admin2 })).json().totalItems).toBe(2);
    } finally {
      await second?.close();
      await hooks.close();
    }
  });

  it('refuses a URL on a private address unless the operator allows it', async () => {
    const t = await createTestApp({ dialect, env: { WEBHOOK_ALLOW_PRIVATE: 'false' } });
    try {
      const admin = bearer(await t.token({ role: 'admin' }));
      for (const url of ['http://127.0.0.1:9/x', 'http://169.254.169.254/latest', 'http://10.0.0.1/x']) {
        const res = await t.app.inject({ method: 'PUT', url: '/tenant/settings/webhook-url', headers: admin, payload: { webhookUrl: url } });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().message).toMatch(/not allowed/);
      }
    } finally {
      await t.close();
    }
  });
});
