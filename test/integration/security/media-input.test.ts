import { storedObjects } from '../../helpers/stored-objects.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { organization, uploadTo, type Org } from '../collections/setup.js';
import { createRelease, tracksOf, uploadTrackFile } from '../distribution/fixtures.js';
import { client, createTrack, type Client } from '../workspace/workspace-api.js';

/**
 * Uploads whose bytes are not audio but instructions for ffmpeg: a playlist or concat script
 * naming a server file. Left to guess the format, ffmpeg would read /etc/passwd as the track.
 */
const FAKES: Array<[string, Buffer]> = [
  ['an HLS playlist naming file:///etc/passwd', Buffer.from('#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n')],
  ['an HLS playlist with a concat: segment', Buffer.from('#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nconcat:/etc/passwd|/etc/hosts\n#EXT-X-ENDLIST\n')],
  ['an ffconcat script', Buffer.from('ffconcat version 1.0\nfile /etc/passwd\nfile /etc/hosts\n')],
  ['plain text', Buffer.from('These are my lyrics, not audio. root:x:0:0:root:/root:/bin/bash\n'.repeat(40))],
];


/** The track's stored objects besides its uploaded source: transcodes, waveforms, artwork. */
async function derivedObjects(t: TestApp, tenantId: string, trackId: string): Promise<string[]> {
  const sources = (await t.container.db.selectFrom('assets').select('storageKey').where('trackId', '=', trackId).execute()).map((a) => a.storageKey);
  const { trackPrefix } = await import('../../../src/storage/object-keys.js');
  return storedObjects(t, `${trackPrefix(tenantId, trackId)}/`).filter((k) => !sources.includes(k));
}

async function probeLane(t: TestApp, trackId: string) {
  return t.container.db.selectFrom('processingLanes').selectAll().where('trackId', '=', trackId).where('lane', '=', 'probe').executeTakeFirstOrThrow();
}

describe.each(dialects())('security: uploads that are not audio containers never reach ffmpeg as playlists (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
    await t.container.startWorkers();
  });
  afterAll(async () => t?.close());

  describe('collections: track_upload.upload_url', () => {
    let org: Org;
    let collectionId: string;
    beforeAll(async () => {
      org = await organization(t, 'media-input-org');
      collectionId = (await org.api.post('/v1/collection', { title: 'Fakes' })).body.collection_id;
    });

    it.each(FAKES)('%s named .mp3 ends failed with unsupported_container and nothing derived', async (_label, bytes) => {
      const created = await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'song.mp3' });
      expect(created.status).toBe(200);
      const trackId: string = created.body.track_id;
      expect((await uploadTo(t, created.body.track_upload, bytes)).statusCode).toBe(200);
      await t.container.queue.onIdle({ timeoutMs: 60_000 });

      const track = (await org.api.get(`/v1/track/${trackId}`)).body.track;
      expect(track.track_status_id).toBe('failed');
      const probe = await probeLane(t, trackId);
      expect(probe.status).toBe('failed');
      expect(probe.attempts).toBe(1);
      expect(probe.error).toMatch(/^unsupported_container: /);
      expect(probe.error).not.toMatch(/root:|\/etc\//);
      const lanes = await t.container.db.selectFrom('processingLanes').select(['lane', 'status']).where('trackId', '=', trackId).execute();
      for (const l of lanes.filter((x) => x.lane !== 'probe')) expect(['skipped', 'failed', 'not_configured'], l.lane).toContain(l.status);
      expect(await derivedObjects(t, org.tenantId, trackId)).toEqual([]);
      expect(await t.container.db.selectFrom('embeddings').select('assetId').where('trackId', '=', trackId).execute()).toEqual([]);
    });
  });

  describe('workspace: signed upload and finalize', () => {
    let alice: Client;
    beforeAll(async () => {
      alice = client(t, await t.token({ tenant: 'media-input-ws', user: 'alice', role: 'member' }));
    });

    it.each(FAKES)('%s named .mp3 fails processing with unsupported_container; no peaks, no playback', async (_label, bytes) => {
      const trackId = await createTrack(t, alice, { name: 'song.mp3', bytes });
      await t.container.queue.onIdle({ timeoutMs: 60_000 });

      const status = (await alice.get(`/tracks/${trackId}/processing-status`)).json();
      expect(status.readiness.state).toBe('failed');
      expect(status.stages.probe).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/^unsupported_container: /) });
      expect(status.stages.probe.error).not.toMatch(/root:|\/etc\/|\/tmp\//);
      expect(status.stages.playback.status).toBe('skipped');
      expect(status.stages.waveform.status).toBe('skipped');
      expect((await alice.get(`/tracks/${trackId}/peaks`)).json()).toEqual({ error: 'peaks_not_found' });
      expect((await alice.get(`/tracks/${trackId}/playback-url`)).statusCode).toBeGreaterThanOrEqual(400);
      const tenantId = (await t.container.repos.tenants.findByName('media-input-ws'))!.id;
      expect(await derivedObjects(t, tenantId, trackId)).toEqual([]);
      expect((await t.container.repos.tracks.find(tenantId, trackId))!.durationMs).toBeNull();
    });

    it('a retry fails the same way, at once', async () => {
      const trackId = await createTrack(t, alice, { name: 'again.mp3', bytes: FAKES[0][1] });
      await t.container.queue.onIdle({ timeoutMs: 60_000 });
      expect((await alice.post(`/tracks/${trackId}/processing/media-intelligence/retry`)).statusCode).toBe(202);
      await t.container.queue.onIdle({ timeoutMs: 60_000 });
      const status = (await alice.get(`/tracks/${trackId}/processing-status`)).json();
      expect(status.stages.probe).toMatchObject({ status: 'failed', error: expect.stringMatching(/^unsupported_container: /) });
    });
  });

  describe('distribution: release media is probed on receipt', () => {
    it.each(FAKES)('%s named .mp3 is refused with 400 and leaves nothing behind', async (_label, bytes) => {
      const admin = bearer(await t.token({ tenant: 'media-input-dist', role: 'admin' }));
      const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
      const assetsBefore = (await t.container.db.selectFrom('assets').select('id').execute()).length;
      const res = await uploadTrackFile(t, admin, rel.id, rel.tracks[0].id, bytes, { filename: 'song.mp3', contentType: 'audio/mpeg' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ status: 'error', message: expect.stringContaining('accepted container') });
      expect(res.body).not.toMatch(/root:/);
      expect((await t.container.db.selectFrom('assets').select('id').execute()).length).toBe(assetsBefore);
      expect(storedObjects(t, 't/').filter((k) => k.includes(rel.id))).toEqual([]);
    });
  });
});
