import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import type { HostResolver } from '../../../src/net/outbound-guard.js';
import { organization, type Org } from './setup.js';
import { startReceiver, until, verifySignature, type Receiver } from './webhook-receiver.js';

const PUBLIC_IP = '93.184.216.34';

/** DNS as the test says: names map to addresses, and the test can change an answer later (a rebind). */
function fakeDns(initial: Record<string, string[]>) {
  const table = new Map(Object.entries(initial));
  const resolve: HostResolver = async (host) => {
    const list = table.get(host.toLowerCase());
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, set: (host: string, addresses: string[]) => void table.set(host, addresses) };
}

describe.each(dialects())('collections: webhook destinations (%s)', (dialect) => {
  describe('with private destinations refused (the default)', () => {
    let t: TestApp;
    let org: Org;
    let admin: string;
    let hooks: Receiver;
    const dns = fakeDns({
      'hooks.example': [PUBLIC_IP],
      'loopback.example': ['127.0.0.1'],
      'metadata.example': ['169.254.169.254'],
      'mixed.example': [PUBLIC_IP, '10.0.0.8'],
      'ula.example': ['fd00::1'],
    });
    const setUrl = (url: unknown) => t.app.inject({ method: 'PUT', url: '/admin/webhooks', headers: bearer(admin), payload: { url } });
    const storedUrl = async () => (await t.container.repos.tenants.findById(org.tenantId))?.webhookUrl ?? null;

    beforeAll(async () => {
      hooks = await startReceiver();
      t = await createTestApp({ dialect, env: { WEBHOOK_ALLOW_PRIVATE: 'false' }, resolveHost: dns.resolve });
      org = await organization(t, 'org-a');
      admin = await t.token({ tenant: 'org-a', user: 'admin', role: 'admin' });
    });
    afterAll(async () => {
      await t?.close();
      await hooks?.close();
    });

    it.each([
      'http://127.0.0.1:9/hooks',
      'http://127.1/',
      'http://2130706433/',
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[fe80::1]/',
      'http://10.0.0.5/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0:8080/',
      'file:///etc/passwd',
      'gopher://hooks.example:70/_SET%20x',
      'ftp://hooks.example/',
      'http://localhost/',
      'http://localhost.:8080/',
      'http://user:pass@hooks.example/',
      'http://loopback.example/',
      'http://metadata.example/',
      'http://mixed.example/',
      'http://ula.example/',
      'http://nowhere.example/',
    ])('refuses %s with 400 webhook_url_not_allowed', async (url) => {
      const res = await setUrl(url);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'webhook_url_not_allowed' });
      expect(res.json()).not.toHaveProperty('secret');
      expect(await storedUrl()).toBeNull();
    });

    it('answers a string that is no URL as a validation error', async () => {
      const res = await setUrl('not a url');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'validation_error' });
    });

    it('takes a public destination, and clears it with null', async () => {
      const res = await setUrl('https://hooks.example/in');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ url: 'https://hooks.example/in', secret: expect.stringMatching(/^whsec_/) });
      expect(await storedUrl()).toBe('https://hooks.example/in');
      expect((await setUrl(null)).json()).toMatchObject({ url: null, secret: null });
      expect(await storedUrl()).toBeNull();
    });

    it('refuses a delivery whose host resolves inside by then, and keeps nothing the target said', async () => {
      // Passes the check while the name points outside...
      dns.set('rebind.example', [PUBLIC_IP]);
      expect((await setUrl(`http://rebind.example:${hooks.port}/hooks`)).statusCode).toBe(200);
      // ...then the name is pointed at the receiver on loopback before the delivery runs.
      dns.set('rebind.example', ['127.0.0.1']);
      hooks.failNextRequests(10);
      const id = (await org.api.post('/v1/collection', { title: 'Rebound' })).body.collection_id;
      expect(id).toBeTruthy();
      await t.container.startWorkers();
      const deliveries = () => t.container.db.selectFrom('webhookDeliveries').selectAll().where('tenantId', '=', org.tenantId).execute();
      const [row] = await until('the delivery to settle', async () => {
        const rows = await deliveries();
        return rows.length > 0 && rows.every((d) => d.status === 'failed' || d.status === 'delivered') && rows;
      });
      expect(row).toMatchObject({ status: 'failed', attempts: 1, responseCode: null, lastError: 'destination_not_allowed', deliveredAt: null });
      expect(hooks.requests()).toBe(0);

      const listed = await t.app.inject({ url: '/admin/webhooks', headers: bearer(admin) });
      expect(listed.statusCode).toBe(200);
      const [entry] = listed.json().deliveries;
      expect(entry).toMatchObject({ status: 'failed', responseCode: null, lastError: 'destination_not_allowed' });
      expect(listed.body).not.toContain('internal-receiver-detail');
      expect(listed.body).not.toContain('127.0.0.1');
    });
  });

  describe('with private destinations allowed (development)', () => {
    let t: TestApp;
    let org: Org;
    let hooks: Receiver;

    beforeAll(async () => {
      hooks = await startReceiver();
      t = await createTestApp({ dialect, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
      org = await organization(t, 'org-b');
    });
    afterAll(async () => {
      await t?.close();
      await hooks?.close();
    });

    it('still refuses other schemes and credentials', async () => {
      const admin = await t.token({ tenant: 'org-b', user: 'admin', role: 'admin' });
      for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:70/', `http://u:p@127.0.0.1:${hooks.port}/`]) {
        const res = await t.app.inject({ method: 'PUT', url: '/admin/webhooks', headers: bearer(admin), payload: { url } });
        expect(res.statusCode, url).toBe(400);
        expect(res.json()).toMatchObject({ error: 'webhook_url_not_allowed' });
      }
    });

    it('delivers a signed event to a receiver on loopback', async () => {
      const admin = await t.token({ tenant: 'org-b', user: 'admin', role: 'admin' });
      const res = await t.app.inject({ method: 'PUT', url: '/admin/webhooks', headers: bearer(admin), payload: { url: hooks.url } });
      expect(res.statusCode).toBe(200);
      const secret = res.json().secret as string;
      await t.container.startWorkers();
      const id = (await org.api.post('/v1/collection', { title: 'Local' })).body.collection_id;
      const got = await until('the delivery', async () => hooks.received.find((r) => r.body.collection_id === id));
      expect(got.body).toMatchObject({ event: 'collection.created', organization_id: org.tenantId });
      expect(got.headers.host).toBe(`127.0.0.1:${hooks.port}`);
      expect(verifySignature(secret, got)).toBe(true);
      const row = await until('the delivery row', async () =>
        (await t.container.db.selectFrom('webhookDeliveries').selectAll().where('tenantId', '=', org.tenantId).execute()).find((d) => d.status === 'delivered'),
      );
      expect(row).toMatchObject({ responseCode: 204, lastError: null });
    });
  });
});
