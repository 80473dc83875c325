import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, type Container } from '../../../src/container.js';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { startS3rver, type RunningS3rver } from '../../helpers/s3rver.js';
import { organization, type Org } from './setup.js';

/**
 * Uploads that finalize on arrival in an S3 store are looked for by workers; two workers looking
 * at once share the due uploads between them instead of both looking at all of them.
 */
describe.each(dialects())('pending S3 uploads watched by several workers (%s)', (dialect) => {
  let s3: RunningS3rver;
  let t: TestApp;
  let second: Container;
  let org: Org;
  let collectionId: string;
  beforeAll(async () => {
    s3 = await startS3rver('upload-watch');
    t = await createTestApp({ dialect, env: { STORAGE_URL: s3.storageUrl } });
    // Another process on the same database and bucket.
    second = await createContainer(t.config);
    org = await organization(t, 'org-w');
    collectionId = (await org.api.post('/v1/collection', { title: 'Watched' })).body.collection_id;
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
    await s3?.close();
  });

  const newUpload = async () => (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'take.wav' })).body;
  const put = async (created: { track_upload: { upload_url: string; headers: Record<string, string> } }, bytes: number) => {
    const res = await fetch(created.track_upload.upload_url, { method: 'PUT', headers: created.track_upload.headers, body: Buffer.alloc(bytes, 5) });
    await res.arrayBuffer();
    expect(res.status).toBe(200);
  };

  it('finalizes every arrived upload once, split between two workers watching at once', async () => {
    const created = [];
    for (let i = 0; i < 6; i++) created.push(await newUpload());
    for (const c of created) await put(c, 1000 + created.indexOf(c));
    const [a, b] = await Promise.all([t.container.services.uploads.watchPending(), second.services.uploads.watchPending()]);
    expect(a + b).toBe(6);
    for (const [i, c] of created.entries()) {
      const track = (await org.api.get(`/v1/track/${c.track_id}`)).body.track;
      expect(track).toMatchObject({ size: 1000 + i, track_status_id: 'processing' });
      const versions = await t.container.repos.tracks.listVersions(c.track_id);
      expect(versions).toHaveLength(1);
    }
    // Nothing is left to finalize.
    expect(await t.container.services.uploads.watchPending()).toBe(0);
  });

  it('claims a due upload for one worker only, and looks again once it is due', async () => {
    const created = await newUpload();
    const uploads = t.container.repos.assets;
    const now = new Date();
    const claims = await Promise.all([uploads.claimUploadsToWatch(now, 100), second.repos.assets.claimUploadsToWatch(now, 100)]);
    const claimedIds = claims.flat().map((u) => u.trackId);
    expect(claimedIds.filter((id) => id === created.track_id)).toHaveLength(1);
    // Looked at just now: not due again for the next second, due again after two.
    expect((await uploads.claimUploadsToWatch(new Date(now.getTime() + 1000), 100)).map((u) => u.trackId)).not.toContain(created.track_id);
    expect((await second.repos.assets.claimUploadsToWatch(new Date(now.getTime() + 2500), 100)).map((u) => u.trackId)).toContain(created.track_id);
    const watched = await sql<{ checks: number }>`select checks from upload_watch w join uploads u on u.id = w.upload_id where u.track_id = ${created.track_id}`.execute(t.container.db);
    expect(Number(watched.rows[0]?.checks)).toBe(2);
    // Its bytes arrive: the next round that finds it due finalizes it.
    await put(created, 321);
    await sql`update upload_watch set next_check_at = ${new Date(0).toISOString()}`.execute(t.container.db);
    expect(await second.services.uploads.watchPending()).toBe(1);
    expect((await org.api.get(`/v1/track/${created.track_id}`)).body.track).toMatchObject({ size: 321, track_status_id: 'processing' });
  });
});
