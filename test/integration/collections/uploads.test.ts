import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { injectPath } from '../../helpers/audio.js';
import { startS3rver, type RunningS3rver } from '../../helpers/s3rver.js';
import { organization, type Org } from './setup.js';

/** AudioDN clients do not send a size when they ask for the upload URL: it takes any body up to the limit. */
describe.each(dialects())('collections: track uploads of unknown size (%s)', (dialect) => {
  describe('local store', () => {
    let t: TestApp;
    let org: Org;
    let collectionId: string;
    beforeAll(async () => {
      t = await createTestApp({ dialect, env: { MAX_AUDIO_BYTES: '4096' } });
      org = await organization(t, 'org-a');
      collectionId = (await org.api.post('/v1/collection', { title: 'Sizes' })).body.collection_id;
    });
    afterAll(async () => t?.close());

    const newUpload = async () => (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'a.mp3' })).body;
    const put = (url: string, body: Buffer, contentType = 'audio/mpeg') =>
      t.app.inject({ method: 'PUT', url: injectPath(url), headers: { 'content-type': contentType }, payload: body });

    it('takes any size up to the audio limit and finalizes on arrival', async () => {
      const created = await newUpload();
      expect(created.track_upload.upload_url).toContain('max=4096');
      expect((await put(created.track_upload.upload_url, Buffer.alloc(777, 7))).statusCode).toBe(200);
      const track = (await org.api.get(`/v1/track/${created.track_id}`)).body.track;
      expect(track).toMatchObject({ size: 777, track_status_id: 'processing' });
    });

    it('refuses a body over the limit, another content type and a tampered maximum', async () => {
      const created = await newUpload();
      const url: string = created.track_upload.upload_url;
      expect((await put(url, Buffer.alloc(5000, 1))).statusCode).toBe(413);
      expect((await put(url, Buffer.alloc(10, 1), 'audio/wav')).statusCode).toBe(400);
      expect((await put(url.replace('max=4096', 'max=99999'), Buffer.alloc(5000, 1))).statusCode).toBe(403);
      expect((await org.api.get(`/v1/track/${created.track_id}`)).body.track.track_status_id).toBe('initializing');
    });
  });

  describe('S3 store', () => {
    let s3: RunningS3rver;
    let t: TestApp;
    let org: Org;
    beforeAll(async () => {
      s3 = await startS3rver('collections-uploads');
      t = await createTestApp({ dialect, env: { STORAGE_URL: s3.storageUrl } });
      org = await organization(t, 'org-a');
    });
    afterAll(async () => {
      await t?.close();
      await s3?.close();
    });

    it('signs a direct PUT without a size; the pending-upload watcher finalizes it', async () => {
      const collectionId = (await org.api.post('/v1/collection', { title: 'Bucket' })).body.collection_id;
      const created = (await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'take.wav' })).body;
      expect(created.track_upload.upload_url.startsWith(s3.endpoint)).toBe(true);
      expect(created.track_upload.headers).toEqual({ 'Content-Type': 'audio/wav' });
      const res = await fetch(created.track_upload.upload_url, { method: 'PUT', headers: created.track_upload.headers, body: Buffer.alloc(2345, 3) });
      expect(res.status).toBe(200);
      expect((await org.api.get(`/v1/track/${created.track_id}`)).body.track.track_status_id).toBe('initializing');
      expect(await t.container.services.uploads.watchPending()).toBeGreaterThanOrEqual(1);
      expect((await org.api.get(`/v1/track/${created.track_id}`)).body.track).toMatchObject({ size: 2345, track_status_id: 'processing' });
    });
  });
});
