import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { freePort, startServer, type ServerProcess } from '../../helpers/server-process.js';
import { startReceiver, until, type Receiver } from '../collections/webhook-receiver.js';
import { multipart } from '../distribution/multipart.js';

type Call = (method: string, url: string, payload?: unknown) => Promise<{ status: number; body: any }>;

interface Row {
  /** The crash point armed in the first server (src/crash-points.ts). */
  point: string;
  /** Builds what the write needs, through the test's own app on the same database. */
  setup(ctx: Ctx): Promise<Record<string, any>>;
  /** The write that reaches the crash point, sent to the server that dies. */
  write(call: Call, state: Record<string, any>, ctx: Ctx): Promise<unknown>;
  /** After a restart: what must hold, checked through the restarted server. */
  check(call: Call, state: Record<string, any>, ctx: Ctx): Promise<void>;
  /** Settings of both server processes of this row. */
  env?: Record<string, string>;
}

interface Ctx {
  t: TestApp;
  /** The server currently under test. */
  base?: string;
  h: Record<string, string>;
  hooks: Receiver;
}

const inject = (ctx: Ctx) => async (method: string, url: string, payload?: unknown) => {
  const res = await ctx.t.app.inject({ method: method as 'GET', url, headers: ctx.h, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
};

const release = (tracks: number) => ({
  title: 'Crash Test',
  displayArtist: 'Dummies',
  releaseDate: '2026-01-01',
  tracks: Array.from({ length: tracks }, (_, i) => ({ title: `T${i + 1}`, displayArtist: 'Dummies', isrc: `USCR1260000${i + 1}` })),
});

/** The product files in the local store, wherever they are (relative paths). */
async function productObjects(ctx: Ctx): Promise<string[]> {
  const root = path.join(ctx.t.dataDir, 'blobs');
  if (!existsSync(root)) return [];
  // Each object has a metadata sidecar under meta/; the objects are the rest.
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => !f.startsWith(`meta${path.sep}`) && f.includes(`${path.sep}products${path.sep}`) && statSync(path.join(root, f)).isFile());
}

/** A workspace upload through the server under test: intent, PUT of the bytes, and (by default) finalize. */
async function uploadTrack(call: Call, s: Record<string, any>, ctx: Ctx, opts: { finalize?: boolean } = {}): Promise<unknown> {
  const bytes = toneBytes({ seconds: 1 });
  const intent = await call('POST', '/api/swayzio/v1/uploads', { fileName: 'crash.wav', contentType: 'audio/wav', byteSize: bytes.length });
  expect(intent.status, JSON.stringify(intent.body)).toBe(201);
  s.trackId = intent.body.trackId;
  s.finalizePath = intent.body.finalizeUrl.replace(/^https?:\/\/[^/]+/, '');
  const url = new URL(intent.body.signedUrl);
  const put = await fetch(`${ctx.base}${url.pathname}${url.search}`, { method: 'PUT', headers: intent.body.requiredHeaders, body: new Uint8Array(bytes) });
  await put.arrayBuffer();
  if (opts.finalize === false) return put.status;
  expect(put.status).toBe(200);
  return call('POST', s.finalizePath);
}

/** The track reaches ready through the restarted server, with one version; returns its processing status. */
async function expectProcessedOnce(call: Call, trackId: string): Promise<any> {
  const status = await until('processing after the restart', async () => {
    const r = await call('GET', `/api/swayzio/v1/tracks/${trackId}/processing-status`);
    return r.status === 200 && ['ready', 'failed'].includes(r.body.readiness?.state) ? r.body : undefined;
  }, 60_000);
  expect(status.readiness).toMatchObject({ state: 'ready', ready: true });
  expect((await call('GET', `/api/swayzio/v1/tracks/${trackId}/versions`)).body.versions).toHaveLength(1);
  return status;
}

/**
 * kill -9 of a real server process at each step of each write path, then a restart on the same
 * database: each row's invariants hold afterwards. On SQLite and on PostgreSQL.
 */
const ROWS: Row[] = [
  {
    point: 'release.reorder.renumbered',
    async setup(ctx) {
      const r = (await inject(ctx)('POST', '/releases', release(3))).body.data;
      return { id: r.id, order: r.tracks.map((x: { id: string }) => x.id) };
    },
    write: (call, s) => call('POST', `/releases/${s.id}/tracks/reorder`, { trackOrder: [...s.order].reverse() }),
    async check(call, s) {
      // Renumbered halfway and killed: the transaction never committed; the old order stands whole.
      const tracks = (await call('GET', `/releases/${s.id}/tracks`)).body.data;
      expect(tracks.map((x: { id: string; trackNumber: number }) => [x.id, x.trackNumber])).toEqual(s.order.map((id: string, i: number) => [id, i + 1]));
      expect((await call('POST', `/releases/${s.id}/tracks/reorder`, { trackOrder: [...s.order].reverse() })).status).toBe(200);
    },
  },
  {
    point: 'release.approve.product-created',
    async setup(ctx) {
      const call = inject(ctx);
      const r = (await call('POST', '/releases', release(2))).body.data;
      for (const tr of r.tracks) expect((await call('POST', `/releases/${r.id}/tracks/${tr.id}/media/link`, { url: 'https://example.com/a.wav', type: 'audio' })).status).toBe(200);
      const submitted = await call('POST', `/releases/${r.id}/submit`);
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
      return { id: r.id, products: (await call('GET', '/product?size=100')).body.totalItems };
    },
    write: (call, s) => call('POST', `/releases/${s.id}/review`, { action: 'approve' }),
    async check(call, s) {
      // The product and its assets come with the status change or not at all.
      const r = (await call('GET', `/releases/${s.id}`)).body.data;
      expect(r.status).toBe('submitted');
      expect((await call('GET', '/product?size=100')).body.totalItems).toBe(s.products);
      const approved = await call('POST', `/releases/${s.id}/review`, { action: 'approve' });
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      const product = (await call('GET', '/product?size=100')).body.data.find((p: { title: string; upc: string }) => p.title === 'Crash Test' && p.upc === approved.body.data.upc);
      expect(product).toBeTruthy();
      expect((await call('GET', `/product/${product.id}/assets`)).body.data).toHaveLength(2);
    },
  },
  {
    point: 'share-link.reset.stored',
    async setup(ctx) {
      const asset = (await inject(ctx)('POST', '/asset', { title: 'Shared' })).body.data;
      const link = (await inject(ctx)('POST', `/api/swayzio/v1/tracks/${asset.id}/share-links`, { name: 'x' })).body;
      expect(link.token).toEqual(expect.any(String));
      return { trackId: asset.id, linkId: link.id, token: link.token };
    },
    write: (call, s) => call('POST', `/api/swayzio/v1/tracks/${s.trackId}/share-links/${s.linkId}/reset`),
    async check(call, s) {
      // The new token was stored but never shown: the old one is dead, and another reset gives a working one.
      expect((await call('GET', `/api/swayzio/v1/public/track-links/${s.token}`)).status).toBe(404);
      const again = await call('POST', `/api/swayzio/v1/tracks/${s.trackId}/share-links/${s.linkId}/reset`);
      expect(again.status).toBe(200);
      expect((await call('GET', `/api/swayzio/v1/public/track-links/${again.body.token}`)).status).toBe(200);
    },
  },
  {
    point: 'upload.put.stored',
    setup: async () => ({}),
    // Killed with the bytes stored and the URL's write not yet recorded.
    write: (call, s, ctx) => uploadTrack(call, s, ctx, { finalize: false }),
    async check(call, s) {
      // The stored bytes are whole (written to a temp file and renamed): the upload finalizes and plays.
      const finalized = await call('POST', s.finalizePath);
      expect(finalized.status, JSON.stringify(finalized.body)).toBeLessThan(300);
      await expectProcessedOnce(call, s.trackId);
    },
  },
  {
    point: 'upload.finalize.committed',
    setup: async () => ({}),
    write: (call, s, ctx) => uploadTrack(call, s, ctx),
    // Finalized, then killed before its lanes were started: the restart starts them, once.
    check: (call, s) => expectProcessedOnce(call, s.trackId),
  },
  // Each lane killed after its work and before its result was recorded: its job runs again once
  // its lease runs out, on the restarted server, and the track ends ready with one version.
  ...(['probe', 'waveform', 'playback'] as const).map((lane): Row => ({
    point: `lane.${lane}.worked`,
    setup: async () => ({}),
    // The server works the lanes itself and dies in this one.
    write: (call, s, ctx) => uploadTrack(call, s, ctx),
    async check(call, s) {
      const status = await expectProcessedOnce(call, s.trackId);
      expect(status.stages[lane]).toMatchObject({ status: 'succeeded' });
    },
  })),
  {
    // Killed once the second of three products was created.
    point: 'bulk.item.done#2',
    async setup(ctx) {
      const call = inject(ctx);
      const assets = [];
      for (const title of ['Bulk A', 'Bulk B']) assets.push((await call('POST', '/asset', { title })).body.data.id);
      return { assets };
    },
    write: (call, s) =>
      call('POST', '/product/bulk', { products: ['Crash Bulk 1', 'Crash Bulk 2', 'Crash Bulk 3'].map((title) => ({ title, assets: s.assets.map((asset: string, i: number) => ({ asset, number: i + 1 })) })) }),
    async check(call, s) {
      // Each product is whole or absent: the first two with both their assets, the third not at all.
      const products = (await call('GET', '/product?size=100')).body.data.filter((p: { title: string }) => p.title.startsWith('Crash Bulk'));
      expect(products.map((p: { title: string }) => p.title).sort()).toEqual(['Crash Bulk 1', 'Crash Bulk 2']);
      for (const p of products) expect((await call('GET', `/product/${p.id}/assets`)).body.data.map((a: { asset?: string; id?: string }) => a.asset ?? a.id).sort()).toEqual([...s.assets].sort());
      // The rest of the batch goes in when the client sends it again.
      const again = await call('POST', '/product/bulk', { products: [{ title: 'Crash Bulk 3', assets: s.assets.map((asset: string, i: number) => ({ asset, number: i + 1 })) }] });
      expect(again.body.data.createdProducts).toHaveLength(1);
    },
  },
  {
    // Killed with the product's file stored and the product not yet updated.
    point: 'product.update.file-stored',
    // Requests end within 2 s here, so an abandoned object is swept within seconds.
    env: { REQUEST_TIMEOUT_SECONDS: '2', HOUSEKEEPING_INTERVAL_SECONDS: '1' },
    async setup(ctx) {
      const product = (await inject(ctx)('POST', '/product', { title: 'With a file' })).body.data;
      return { id: product.id, objects: await productObjects(ctx) };
    },
    async write(call, s, ctx) {
      const body = multipart([['title', 'With a file'], ['file', { file: Buffer.alloc(4096, 7), filename: 'sheet.pdf', contentType: 'application/pdf' }]]);
      await fetch(`${ctx.base}/product/${s.id}`, { method: 'PUT', headers: { ...ctx.h, ...body.headers }, body: new Uint8Array(body.payload) }).catch(() => undefined);
    },
    async check(call, s, ctx) {
      // The product is as it was, and the object nobody owns is deleted by the restarted server's sweep.
      expect((await call('GET', `/product/${s.id}`)).body.data.media ?? []).toEqual([]);
      await until('the abandoned object to be swept', async () => (await productObjects(ctx)).length === s.objects.length, 60_000);
      expect(await ctx.t.container.db.selectFrom('pendingObjects').selectAll().execute()).toEqual([]);
      const again = multipart([['title', 'With a file'], ['file', { file: Buffer.alloc(4096, 7), filename: 'sheet.pdf', contentType: 'application/pdf' }]]);
      const res = await fetch(`${ctx.base}/product/${s.id}`, { method: 'PUT', headers: { ...ctx.h, ...again.headers }, body: new Uint8Array(again.payload) });
      expect(res.status).toBe(200);
      expect((await productObjects(ctx)).length).toBe(s.objects.length + 1);
    },
  },
  {
    point: 'webhook.distribution.answered',
    async setup(ctx) {
      const call = inject(ctx);
      await call('PUT', '/tenant/settings/webhook-url', { webhookUrl: ctx.hooks.url });
      await call('PUT', '/tenant/settings/webhook-isActive', { isActive: true });
      await call('PUT', '/tenant/settings/webhook-enabledEvents', { enabledEvents: ['ARTIST_CREATED'] });
      return {};
    },
    async write(call, s, ctx) {
      const artist = await call('POST', '/artist', { artistName: 'Crash Artist' });
      s.artistId = artist.body.data.id;
      // The worker in the same process sends it; the receiver answers 204, then the process dies.
      await until('the first delivery', async () => ctx.hooks.received.some((r) => r.body.data.resource.id === s.artistId), 30_000);
    },
    async check(call, s, ctx) {
      // Sent again after the restart (the attempt was never recorded), recorded a success once.
      const d = await until('success recorded', async () => {
        const rows = (await call('GET', '/webhook-deliveries?event=ARTIST_CREATED')).body.data;
        return rows.find((x: { resource: { id: string }; status: string }) => x.resource.id === s.artistId && x.status === 'success');
      }, 90_000);
      const sent = ctx.hooks.received.filter((r) => r.body.data.resource.id === s.artistId);
      expect(sent.length).toBeGreaterThanOrEqual(2);
      expect(new Set(sent.map((r) => r.body.id))).toEqual(new Set([d.id]));
      expect((await call('GET', '/webhook-deliveries?event=ARTIST_CREATED&status=success')).body.data.filter((x: { resource: { id: string } }) => x.resource.id === s.artistId)).toHaveLength(1);
    },
  },
  {
    point: 'catalog.events.committed',
    async setup(ctx) {
      const call = inject(ctx);
      await call('PUT', '/tenant/settings/webhook-url', { webhookUrl: ctx.hooks.url });
      await call('PUT', '/tenant/settings/webhook-isActive', { isActive: true });
      await call('PUT', '/tenant/settings/webhook-enabledEvents', { enabledEvents: ['ASSET_CREATED'] });
      return {};
    },
    async write(call, s) {
      // Committed, then killed before its events were published.
      const asset = await call('POST', '/asset', { title: 'Outboxed' });
      s.assetId = asset.body?.data?.id;
    },
    async check(call, s, ctx) {
      const asset = (await call('GET', '/asset?size=100')).body.data.find((a: { title: string }) => a.title === 'Outboxed');
      expect(asset).toBeTruthy();
      // The event left in the outbox is published by the restarted server's sweep, and delivered once.
      const d = await until('the delivery of the outboxed event', async () => {
        const rows = (await call('GET', '/webhook-deliveries?event=ASSET_CREATED&status=success')).body.data;
        return rows.find((x: { resource: { id: string } }) => x.resource.id === asset.id);
      }, 60_000);
      expect(ctx.hooks.received.filter((r) => r.body.data.resource.id === asset.id).map((r) => r.body.id)).toEqual([d.id]);
    },
  },
];

describe.each(dialects())('crash matrix: kill -9 at each step of each write path (%s)', (dialect) => {
  let t: TestApp;
  let ctx: Ctx;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    ctx = { t, h: bearer(await t.token({ role: 'owner', entitlements: ['tracks.share'] })), hooks: await startReceiver() };
    env = {
      DATA_DIR: t.dataDir,
      JWT_SECRET: t.config.jwt.secret,
      JOB_LEASE_SECONDS: '2',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      ...(t.config.database.kind === 'postgres' ? { DATABASE_URL: t.config.database.url, DATABASE_SCHEMA: t.schema! } : {}),
    };
  });
  afterAll(async () => {
    await ctx?.hooks.close();
    await t?.close();
  });

  for (const row of ROWS) {
    it(`${row.point}: the restarted server finds every invariant intact`, async () => {
      const state = await row.setup(ctx);
      const port = await freePort();
      const serverEnv = { ...env, ...row.env, PUBLIC_URL: `http://127.0.0.1:${port}` };
      let server: ServerProcess | undefined = await startServer({ ...serverEnv, LEDGERLINE_CRASH_AT: row.point }, port);
      try {
        const base = server.base;
        ctx.base = base;
        const call: Call = async (method, url, payload) => {
          const res = await fetch(`${base}${url}`, {
            method,
            headers: { ...ctx.h, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
          });
          const text = await res.text();
          return { status: res.status, body: text ? JSON.parse(text) : null };
        };
        await row.write(call, state, ctx).catch(() => undefined);
        await until('the server to die at its crash point', async () => server!.child.signalCode === 'SIGKILL', 30_000);
        server = await startServer(serverEnv, port);
        await row.check(call, state, ctx);
      } finally {
        await server?.kill();
      }
    }, 180_000);
  }
});
