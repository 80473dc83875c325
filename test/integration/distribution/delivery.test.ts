import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { validateErn } from '../../helpers/ern-schema.js';
import { startS3rver, type RunningS3rver } from '../../helpers/s3rver.js';
import { hasSshd, startSshd, type RunningSshd } from '../../helpers/sshd.js';
import { DDEX_ENV, masterWav, readyProduct } from './ddex-fixtures.js';
import type { Headers } from './fixtures.js';

const RECIPIENT = { partyId: 'PADPIDA2026120799S', name: 'Test Store' };

/** Every file under `dir`, relative, sorted. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, base) : [path.relative(base, full)];
  }).sort();
}

describe.each(dialects())('distribution: DDEX batch delivery (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp({ dialect, env: DDEX_ENV });
    admin = bearer(await t.token({ role: 'admin' }));
  });
  afterAll(async () => t?.close());

  const addProvider = async (body: object) => {
    const res = await t.app.inject({ method: 'POST', url: '/admin/delivery-providers', headers: admin, payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; name: string };
  };
  const batch = (productIds: string[], provider: string) => t.app.inject({ method: 'POST', url: '/product/batch-delivery', headers: admin, payload: { productIds, provider } });
  const tenantRoot = async () => path.join(t.dataDir, 'deliveries', (await t.container.repos.tenants.findByName('acme'))!.id);

  it('leaves no BatchComplete when a worker dies mid-batch, and the retry finishes the batch without resending whole files', async () => {
    await addProvider({ name: 'flaky-store', kind: 'folder', config: { path: 'store-b' }, recipient: RECIPIENT });
    const p = await readyProduct(t, admin, { tracks: [{ title: 'K1' }, { title: 'K2' }, { title: 'K3' }] });
    const { batchId, deliveries } = (await batch([p.productId], 'flaky-store')).json().data;
    const { runBatch } = t.container.modules.distribution.deliveries;
    const tenantId = (await t.container.repos.tenants.findByName('acme'))!.id;
    let written = 0;
    // The worker dies after its second file.
    const died = await runBatch({ tenantId, batchId }, { signal: new AbortController().signal }, () => {
      if (++written === 2) throw new Error('worker killed');
    }).catch((e: Error) => e);
    expect(died).toBeInstanceOf(Error);
    const folder = path.join(await tenantRoot(), 'store-b', batchId);
    expect(existsSync(path.join(folder, `BatchComplete_${batchId}.xml`))).toBe(false);
    expect(existsSync(path.join(folder, p.upc, `${p.upc}.xml`))).toBe(false);
    const first = path.join(folder, p.upc, 'resources', `${p.upc}_01_001.wav`);
    const before = statSync(first).mtimeMs;
    const failed = (await t.app.inject({ url: `/product/${p.productId}/deliveries`, headers: admin })).json().data[0];
    expect(failed).toMatchObject({ id: deliveries[0].id, status: 'failed', error: 'worker killed' });

    const retry = await t.app.inject({ method: 'POST', url: `/product/${p.productId}/deliveries/${failed.id}/retry`, headers: admin });
    expect(retry.statusCode, retry.body).toBe(202);
    expect(retry.json().data.status).toBe('queued');
    // The worker that takes the retry is the first to run at all in this app.
    await t.container.startWorkers();
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    expect(walk(folder)).toContain(`BatchComplete_${batchId}.xml`);
    expect(walk(folder).filter((f) => f.endsWith('.wav'))).toHaveLength(3);
    expect(statSync(first).mtimeMs).toBe(before);
    const done = (await t.app.inject({ url: `/product/${p.productId}/deliveries`, headers: admin })).json().data[0];
    expect(done).toMatchObject({ status: 'delivered', attempts: 2, files: 5 });
    // Only failed deliveries are retried.
    expect((await t.app.inject({ method: 'POST', url: `/product/${p.productId}/deliveries/${done.id}/retry`, headers: admin })).statusCode).toBe(409);
  });

  it('delivers a batch to a folder: one folder per UPC, masters and cover as the message names them, BatchComplete last', async () => {
    const provider = await addProvider({ name: 'local-store', kind: 'folder', config: { path: 'store-a' }, recipient: RECIPIENT });
    const a = await readyProduct(t, admin, { title: 'Batch One', tracks: [{ title: 'A1' }, { title: 'A2' }] });
    const b = await readyProduct(t, admin, { title: 'Batch Two' });
    const res = await batch([a.productId, b.productId], 'local-store');
    expect(res.statusCode, res.body).toBe(202);
    const { batchId, deliveries } = res.json().data;
    expect(batchId).toMatch(/^\d{17}$/);
    expect(deliveries.map((d: { status: string }) => d.status)).toEqual(['queued', 'queued']);

    await t.container.startWorkers();
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    const root = path.join(await tenantRoot(), 'store-a');
    expect(walk(root)).toEqual(
      [
        `${batchId}/BatchComplete_${batchId}.xml`,
        `${batchId}/${a.upc}/${a.upc}.xml`, `${batchId}/${a.upc}/resources/${a.upc}.png`, `${batchId}/${a.upc}/resources/${a.upc}_01_001.wav`, `${batchId}/${a.upc}/resources/${a.upc}_01_002.wav`,
        `${batchId}/${b.upc}/${b.upc}.xml`, `${batchId}/${b.upc}/resources/${b.upc}.png`, `${batchId}/${b.upc}/resources/${b.upc}_01_001.wav`,
      ].sort(),
    );
    // The original master, byte for byte.
    expect(readFileSync(path.join(root, batchId, a.upc, 'resources', `${a.upc}_01_002.wav`)).equals(masterWav())).toBe(true);
    const message = readFileSync(path.join(root, batchId, a.upc, `${a.upc}.xml`), 'utf8');
    expect(validateErn(message).valid).toBe(true);
    expect(message).toContain(`<PartyId>${RECIPIENT.partyId}</PartyId>`);
    const complete = readFileSync(path.join(root, batchId, `BatchComplete_${batchId}.xml`), 'utf8');
    expect(complete).toContain('<NumberOfMessages>2</NumberOfMessages>');

    const history = (await t.app.inject({ url: `/product/${a.productId}/deliveries`, headers: admin })).json().data;
    expect(history).toEqual([expect.objectContaining({ status: 'delivered', batchId, files: 4, attempts: 1, error: null, messageId: expect.any(String), providerId: provider.id })]);
    expect(history[0].bytes).toBe(masterWav().length * 2 + statSync(path.join(root, batchId, a.upc, 'resources', `${a.upc}.png`)).size + Buffer.byteLength(message));
    const status = (await t.app.inject({ url: `/product/${a.productId}/delivery/status`, headers: admin })).json().data;
    expect(status).toMatchObject({ ready: true, issues: [], status: 'delivered', latestDelivery: { id: history[0].id } });
    const providers = (await t.app.inject({ url: '/product/delivery-providers', headers: admin })).json().data;
    expect(providers).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'local-store', kind: 'folder', recipient: RECIPIENT })]));
  });

  it('refuses a batch with a product that is not ready, an unknown provider, and a bad provider', async () => {
    const notReady = await readyProduct(t, admin, { artwork: null });
    const res = await batch([notReady.productId], 'local-store');
    expect(res.statusCode).toBe(422);
    expect(res.json().issues.map((i: { code: string }) => i.code)).toEqual(['artwork_missing']);
    expect((await batch([notReady.productId], 'nowhere')).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'POST', url: '/admin/delivery-providers', headers: admin, payload: { name: 'x', kind: 'folder', config: { path: '../../etc' }, recipient: RECIPIENT } });
    expect(bad.statusCode).toBe(400);
    const member = bearer(await t.token({ user: 'mo', role: 'member' }));
    expect((await t.app.inject({ method: 'POST', url: '/admin/delivery-providers', headers: member, payload: { name: 'y', kind: 'folder', config: { path: 'y' }, recipient: RECIPIENT } })).statusCode).toBe(403);
  });

  describe('to S3', () => {
    let s3: RunningS3rver;
    beforeAll(async () => {
      s3 = await startS3rver('deliveries');
    });
    afterAll(async () => s3?.close());

    it('writes the batch under the bucket prefix, BatchComplete included', async () => {
      await addProvider({
        name: 's3-store', kind: 's3', recipient: RECIPIENT,
        config: { bucket: s3.bucket, prefix: 'inbox/ledgerline', endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      });
      const listed = (await t.app.inject({ url: '/product/delivery-providers', headers: admin })).json().data.find((p: { name: string }) => p.name === 's3-store');
      expect(listed.config.secretAccessKey).toBe('********');
      const p = await readyProduct(t, admin);
      const { batchId } = (await batch([p.productId], 's3-store')).json().data;
      await t.container.startWorkers();
      await t.container.queue.onIdle({ timeoutMs: 60_000 });
      const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
      const base = `inbox/ledgerline/${batchId}`;
      const sizes: Record<string, number | undefined> = {};
      for (const key of [`${base}/${p.upc}/${p.upc}.xml`, `${base}/${p.upc}/resources/${p.upc}.png`, `${base}/${p.upc}/resources/${p.upc}_01_001.wav`, `${base}/BatchComplete_${batchId}.xml`]) {
        sizes[key] = (await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).ContentLength;
      }
      expect(sizes[`${base}/${p.upc}/resources/${p.upc}_01_001.wav`]).toBe(masterWav().length);
      const message = await (await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `${base}/${p.upc}/${p.upc}.xml` }))).Body!.transformToString();
      expect(validateErn(message).valid).toBe(true);
      client.destroy();
      const d = (await t.app.inject({ url: `/product/${p.productId}/deliveries`, headers: admin })).json().data[0];
      expect(d).toMatchObject({ status: 'delivered', files: 3 });
    });
  });

  describe.skipIf(!hasSshd())('to SFTP (OpenSSH sshd on loopback)', () => {
    let sshd: RunningSshd;
    beforeAll(async () => {
      sshd = await startSshd();
    });
    afterAll(async () => sshd?.close());

    it('uploads the batch with a key pair, BatchComplete last', async () => {
      await addProvider({ name: 'sftp-store', kind: 'sftp', recipient: RECIPIENT, config: { host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey, path: sshd.root } });
      const p = await readyProduct(t, admin, { tracks: [{ title: 'S1' }, { title: 'S2' }] });
      const { batchId } = (await batch([p.productId], 'sftp-store')).json().data;
      await t.container.startWorkers();
      await t.container.queue.onIdle({ timeoutMs: 60_000 });
      const files = walk(path.join(sshd.root, batchId));
      expect(files).toEqual([`BatchComplete_${batchId}.xml`, `${p.upc}/${p.upc}.xml`, `${p.upc}/resources/${p.upc}.png`, `${p.upc}/resources/${p.upc}_01_001.wav`, `${p.upc}/resources/${p.upc}_01_002.wav`].sort());
      expect(readFileSync(path.join(sshd.root, batchId, p.upc, 'resources', `${p.upc}_01_001.wav`)).equals(masterWav())).toBe(true);
      const d = (await t.app.inject({ url: `/product/${p.productId}/deliveries`, headers: admin })).json().data[0];
      expect(d).toMatchObject({ status: 'delivered', files: 4 });
    });
  });
  if (!hasSshd()) it.skip('SFTP delivery: /usr/sbin/sshd is not installed (apt-get install openssh-server)', () => undefined);

  it('refuses remote providers on private addresses, when created and again when a batch connects', async () => {
    // Names resolve as this test says, and one of them changes its answer after the check.
    const answers: Record<string, string> = { 'sftp.example.com': '93.184.216.34', 'inside.example.com': '10.0.0.5', 'rebind.example.com': '93.184.216.35' };
    const own = await createTestApp({
      dialect,
      env: { ...DDEX_ENV, DELIVERY_ALLOW_PRIVATE: 'false' },
      resolveHost: async (name) => (answers[name] ? [{ address: answers[name], family: 4 }] : []),
    });
    try {
      const h = bearer(await own.token({ role: 'admin' }));
      const create = (name: string, kind: string, config: object) => own.app.inject({ method: 'POST', url: '/admin/delivery-providers', headers: h, payload: { name, kind, config, recipient: RECIPIENT } });
      for (const [name, kind, config] of [
        ['loopback', 'sftp', { host: '127.0.0.1', username: 'u', password: 'p' }],
        ['named-inside', 'sftp', { host: 'inside.example.com', username: 'u', password: 'p' }],
        ['localhost', 'sftp', { host: 'localhost', username: 'u', password: 'p' }],
        ['metadata', 's3', { bucket: 'deliveries', region: 'us-east-1', endpoint: 'http://169.254.169.254', accessKeyId: 'a', secretAccessKey: 's' }],
      ] as const) {
        const res = await create(name, kind, config);
        expect(res.statusCode, `${name}: ${res.body}`).toBe(400);
        expect(res.json().error).toBe('destination_not_allowed');
      }
      expect((await create('public', 'sftp', { host: 'sftp.example.com', username: 'u', password: 'p' })).statusCode).toBe(201);
      expect((await create('rebinding', 'sftp', { host: 'rebind.example.com', username: 'u', password: 'p' })).statusCode).toBe(201);
      answers['rebind.example.com'] = '127.0.0.1';
      const p = await readyProduct(own, h);
      const sent = await own.app.inject({ method: 'POST', url: '/product/batch-delivery', headers: h, payload: { productIds: [p.productId], provider: 'rebinding' } });
      expect(sent.statusCode, sent.body).toBe(202);
      await own.container.startWorkers();
      await own.container.queue.onIdle({ timeoutMs: 30_000 });
      const d = (await own.app.inject({ url: `/product/${p.productId}/deliveries`, headers: h })).json().data[0];
      expect(d.status).toBe('failed');
      expect(d.error).toMatch(/^destination_not_allowed/);
    } finally {
      await own.close();
    }
  });
});

