import type { CatalogEvent } from '../../../src/catalog/events.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { startReceiver, until, type Receiver } from '../collections/webhook-receiver.js';
import {
  assetWithoutAudio,
  viaCliImport,
  viaDirectUpload,
  viaLinkedAsset,
  viaReleaseMedia,
  viaSignedUpload,
  viaUploadSession,
  viaVersionUpload,
} from './ingest.js';
import { call, catalog, WS, type Catalog } from './surfaces.js';

/**
 * Invariant 2: whichever way audio enters the catalog, once processed the track has exactly one
 * new version, every lane ran once on it, all three surfaces report the same readiness, and the
 * organization's webhook received exactly one `track.status_changed` to `ready` for the track.
 *
 * AudioDN webhooks report tracks filed in a collection, so every ingest files its track in one
 * (before any lane has run: the queue workers start only once the ingest requests are done).
 */
interface IngestCase {
  name: string;
  /** Work done (and processed) before the ingest; returns what `ingest` needs. */
  prepare?: (c: Catalog) => Promise<string>;
  ingest: (c: Catalog, prepared: string | undefined) => Promise<string>;
  /** Versions the track has once the ingest is processed. */
  versions: number;
}

const CASES: IngestCase[] = [
  { name: 'AudioDN upload session (POST /v1/upload/:session/track + PUT)', ingest: (c) => viaUploadSession(c), versions: 1 },
  { name: 'AudioDN direct upload (POST /v1/track + PUT track_upload.upload_url)', ingest: (c) => viaDirectUpload(c), versions: 1 },
  { name: 'Swayzio signed upload (POST /v1/uploads + PUT + finalize)', ingest: (c) => viaSignedUpload(c), versions: 1 },
  {
    name: 'Swayzio version upload onto a track without audio',
    prepare: (c) => assetWithoutAudio(c, 'Awaiting audio'),
    ingest: (c, id) => viaVersionUpload(c, id!),
    versions: 1,
  },
  {
    name: 'Swayzio version upload onto a ready track (a second version)',
    prepare: async (c) => {
      const id = await viaDirectUpload(c);
      await c.t.container.startWorkers();
      await c.t.container.queue.onIdle({ timeoutMs: 60_000 });
      return id;
    },
    ingest: (c, id) => viaVersionUpload(c, id!),
    versions: 2,
  },
  { name: 'Royalti release track media upload (multipart)', ingest: (c) => viaReleaseMedia(c), versions: 1 },
  { name: 'Royalti asset linked to a release, then its media uploaded', ingest: (c) => viaLinkedAsset(c), versions: 1 },
  { name: 'CLI import of a folder', ingest: (c) => viaCliImport(c, 'acme'), versions: 1 },
];

/** Cells that fail against the current code (defects to fix in src/). */

/** Lanes a fresh audio version runs (lyrics and stems are not configured in tests). */
const RUNNING_LANES = ['probe', 'waveform', 'playback', 'tags', 'embeddings'];

describe.each(dialects())('catalog invariant: every ingest path ends the same way (%s)', (dialect) => {
  let tone: Buffer;
  let t: TestApp | undefined;
  let hooks: Receiver | undefined;
  beforeAll(() => {
    tone = toneBytes({ seconds: 1 });
  });
  afterEach(async () => {
    await t?.close();
    await hooks?.close();
    t = undefined;
    hooks = undefined;
  });

  for (const k of CASES) {
    it(k.name, async () => {
      // A fresh app per path: its workers start only after the ingest requests.
      t = await createTestApp({ dialect });
      hooks = await startReceiver();
      const c = await catalog(t, tone, 'acme');
      const admin = bearer(await t.token({ tenant: 'acme', user: 'alice', role: 'admin' }));
      expect((await t.app.inject({ method: 'PUT', url: '/admin/webhooks', headers: admin, payload: { url: hooks.url } })).statusCode).toBe(200);
      const runs: Array<{ assetId: string; lane: string }> = [];
      t.container.services.processing.onLaneWritten(async (w) => {
        if (w.status === 'running') runs.push({ assetId: w.assetId, lane: w.lane });
      });
      const published: CatalogEvent[] = [];
      t.container.events.subscribe((e) => void published.push(e));
      const readyEvents = (id: string) => hooks!.received.filter((r) => r.body.event === 'track.status_changed' && r.body.track_id === id && r.body.status === 'ready');

      const prepared = k.prepare ? await k.prepare(c) : undefined;
      const versionsBefore = prepared ? ((await call(c, 'GET', `${WS}/tracks/${prepared}/versions`)).body.versions ?? []).map((v: { id: string }) => v.id) : [];

      const id = await k.ingest(c, prepared);
      await t.container.startWorkers();
      await t.container.queue.onIdle({ timeoutMs: 90_000 });
      const settled = async () =>
        (await t!.container.db.selectFrom('webhookDeliveries').select('status').where('tenantId', '=', c.tenantId).execute()).every((d) => d.status === 'delivered' || d.status === 'failed');
      await until('webhook deliveries', settled);

      // Exactly one new version.
      const versions = await call(c, 'GET', `${WS}/tracks/${id}/versions`);
      expect(versions.status, versions.raw.body).toBe(200);
      const list = versions.body.versions as Array<{ id: string; assetId: string; isCurrent: boolean }>;
      expect.soft(list.length, 'versions').toBe(k.versions);
      const fresh = list.filter((v) => !versionsBefore.includes(v.id));
      expect(fresh.length, 'new versions').toBe(1);
      const assetId = fresh[0].assetId;

      // Each lane ran once on the new version's audio.
      for (const lane of RUNNING_LANES) expect.soft(runs.filter((r) => r.assetId === assetId && r.lane === lane).length, `${lane} runs`).toBe(1);
      const lanes = await t.container.db.selectFrom('processingLanes').select(['lane', 'status', 'attempts']).where('assetId', '=', assetId).execute();
      for (const lane of RUNNING_LANES) {
        const row = lanes.find((l) => l.lane === lane);
        expect.soft(row?.status, `${lane} status`).toBe('succeeded');
        expect.soft(row?.attempts, `${lane} attempts`).toBe(1);
      }

      // The same readiness on all three surfaces.
      const adn = (await call(c, 'GET', `/v1/track/${id}`)).body.track;
      expect.soft(adn?.status, 'collections status').toBe('ready');
      expect.soft(adn?.track_status_id, 'collections track_status_id').toBe('ready');
      const ps = (await call(c, 'GET', `${WS}/tracks/${id}/processing-status`)).body;
      expect.soft(ps.readiness, 'workspace readiness').toMatchObject({ ready: true, playable: true, state: 'ready' });
      const asset = (await call(c, 'GET', `/asset/${id}`)).body.data;
      expect.soft(asset?.hasAudio, 'distribution hasAudio').toBe(true);
      expect.soft(asset?.duration, 'distribution duration').toBeGreaterThan(0.9);
      expect.soft(asset?.duration, 'distribution duration').toBeLessThan(1.2);

      // One ready event for the track in all, whichever way its audio came in (a second version that
      // does not play yet leaves the track ready, and says nothing more).
      expect.soft(readyEvents(id).length, 'track.status_changed to ready').toBe(1);
      expect.soft(hooks.received.filter((r) => r.body.event === 'track.status_changed' && r.body.track_id === id && r.body.status !== 'ready'), 'other status events').toEqual([]);

      // The catalog's own stream says the same, once: the new version added, and ready. (The CLI
      // imports in a process of its own, with its own stream; its webhooks above came through it.)
      if (!k.name.startsWith('CLI')) {
        const ofVersion = (type: CatalogEvent['type']) => published.filter((e) => e.type === type && 'assetId' in e && e.assetId === assetId && e.trackId === id).length;
        expect.soft(ofVersion('track.version_added'), 'track.version_added').toBe(1);
        expect.soft(ofVersion('track.ready'), 'track.ready').toBe(1);
        expect.soft(ofVersion('track.failed'), 'track.failed').toBe(0);
      }
      const metrics = (await t.app.inject('/metrics')).body;
      if (!k.name.startsWith('CLI')) expect.soft(metrics, 'metrics').toMatch(/ledgerline_catalog_events_total\{type="track\.ready"\} [1-9]/);
    });
  }
});
