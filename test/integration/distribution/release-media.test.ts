import { storedObjects } from '../../helpers/stored-objects.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { injectPath, makeImage, toneBytes } from '../../helpers/audio.js';
import { createRelease, mp3, tracksOf, uploadTrackFile, type Headers } from './fixtures.js';
import { multipart } from './multipart.js';


describe.each(dialects())('distribution: release track media (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    admin = bearer(await t.token({ role: 'admin' }));
  });
  afterAll(async () => t?.close());

  const counts = async () => ({
    tracks: (await t.container.db.selectFrom('tracks').select('id').execute()).length,
    assets: (await t.container.db.selectFrom('assets').select('id').execute()).length,
    files: storedObjects(t, 't/').length,
  });

  it('stores an uploaded file, answers its probed metadata, and makes it a catalog track version', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    const trackId = rel.tracks[0].id;
    const bytes = mp3();
    const res = await uploadTrackFile(t, admin, rel.id, trackId, bytes, { filename: 'my-track.mp3' });
    expect(res.statusCode, res.body).toBe(200);
    const { success, message, data } = res.json();
    expect({ success, message }).toEqual({ success: true, message: 'Media uploaded successfully' });
    expect(data).toMatchObject({ cloudId: expect.any(String), type: 'audio', name: 'my-track.mp3', isLink: false, releasePath: expect.stringContaining(`/releases/${rel.id}/`) });
    expect(data.metadata).toEqual({
      duration: expect.any(Number), bitrate: expect.stringMatching(/^\d+$/), sampleRate: '44100', channels: '2', codec: 'mp3',
      fileSize: bytes.length, mimeType: 'audio/mpeg', processedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), linkValidated: true,
    });
    expect(data.metadata.duration).toBeGreaterThan(1.9);
    expect(data.metadata.duration).toBeLessThan(2.2);

    expect(storedObjects(t, 't/')).toContain(data.releasePath);
    // The signed cloudUrl serves the exact bytes.
    const download = await t.app.inject({ url: injectPath(data.cloudUrl) });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);

    const track = (await t.app.inject({ url: `/releases/${rel.id}/tracks`, headers: admin })).json().data[0];
    // The same entry; its URL is signed anew for each answer, so only its expiry and signature may differ.
    const signedPath = data.cloudUrl.split('?')[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(track.media).toEqual([{ ...data, cloudUrl: expect.stringMatching(new RegExp(`^${signedPath}\\?m=GET&exp=\\d+&ct=audio%2Fmpeg&sig=[0-9a-f]{64}$`)) }]);
    expect((await t.app.inject({ url: injectPath(track.media[0].cloudUrl) })).rawPayload.equals(bytes)).toBe(true);
    expect(track.duration).toBeCloseTo(data.metadata.duration, 1);
    const catalog = await t.container.repos.tracks.find(track.TenantId, track.assetId);
    expect(catalog).toMatchObject({ title: 'Track 1', artist: 'The Wave Collective', durationMs: expect.any(Number) });
    const version = await t.container.repos.tracks.findVersion(catalog!.id, catalog!.currentVersionId!);
    expect(version?.assetId).toBe(data.cloudId);
    // The track's metadata carries the linked asset's analysis, as in the Royalti example ({ bpm, key }).
    expect((await t.app.inject({ method: 'PUT', url: `/asset/${track.assetId}`, headers: admin, payload: { tempo: 120, key: 'C Major' } })).statusCode).toBe(200);
    const analysed = (await t.app.inject({ url: `/releases/${rel.id}/tracks`, headers: admin })).json().data[0];
    expect(analysed.metadata).toMatchObject({ bpm: 120, key: 'C Major' });
    // Processing was queued for the new version.
    const lane = await t.container.services.processing.laneResult(data.cloudId, 'probe');
    expect(lane?.status).toBeDefined();

    // Another upload replaces the media and becomes the current version of the same catalog track.
    const again = await uploadTrackFile(t, admin, rel.id, trackId, bytes, { filename: 'take-2.mp3' });
    expect(again.statusCode).toBe(200);
    const replaced = (await t.app.inject({ url: `/releases/${rel.id}/tracks`, headers: admin })).json().data[0];
    expect(replaced.media.map((m: { name: string }) => m.name)).toEqual(['take-2.mp3']);
    expect(replaced.assetId).toBe(track.assetId);
    const after = await t.container.repos.tracks.find(track.TenantId, track.assetId);
    expect((await t.container.repos.tracks.findVersion(after!.id, after!.currentVersionId!))?.assetId).toBe(again.json().data.cloudId);
    expect(await t.container.repos.tracks.listVersions(after!.id)).toHaveLength(2);
  });

  it('refuses a file that is not audio with 400 and leaves nothing behind', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    const trackId = rel.tracks[0].id;
    const before = await counts();
    const fake = await uploadTrackFile(t, admin, rel.id, trackId, Buffer.from('This is a text file pretending to be an MP3.\n'.repeat(200)));
    expect(fake.statusCode).toBe(400);
    expect(fake.json()).toEqual({ status: 'error', message: expect.stringContaining('not an audio or video file') });
    const image = await uploadTrackFile(t, admin, rel.id, trackId, makeImage(), { filename: 'cover.png', contentType: 'image/png' });
    expect(image.statusCode).toBe(400);
    expect(image.json().message).toContain('upload an audio or video file');
    const pdf = await uploadTrackFile(t, admin, rel.id, trackId, Buffer.from('%PDF-1.4'), { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(pdf.statusCode).toBe(400);
    expect(await counts()).toEqual(before);
    const track = (await t.app.inject({ url: `/releases/${rel.id}/tracks`, headers: admin })).json().data[0];
    expect(track).toMatchObject({ media: [], assetId: null });
  });

  it('needs a multipart body with a file, for an existing track of the release', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    const url = `/releases/${rel.id}/tracks/${rel.tracks[0].id}/media/file`;
    const json = await t.app.inject({ method: 'POST', url, headers: admin, payload: { file: 'abc' } });
    expect(json.statusCode).toBe(400);
    expect(json.json().message).toContain('multipart/form-data');
    const noFile = multipart([['name', 'x']]);
    const empty = await t.app.inject({ method: 'POST', url, headers: { ...admin, ...noFile.headers }, payload: noFile.payload });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('No file');
    const missing = await uploadTrackFile(t, admin, rel.id, '0190a4c2-7d3e-7b21-9c3e-3b1f2a4c5d6e');
    expect(missing.statusCode).toBe(404);
    const stranger = bearer(await t.token({ tenant: 'elsewhere', user: 'z', role: 'admin' }));
    expect((await uploadTrackFile(t, stranger, rel.id, rel.tracks[0].id)).statusCode).toBe(404);
  });

  it('removes the catalog track an upload created when its release track is deleted', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(2) });
    const before = await counts();
    expect((await uploadTrackFile(t, admin, rel.id, rel.tracks[0].id)).statusCode).toBe(200);
    expect((await counts()).tracks).toBe(before.tracks + 1);
    expect((await t.app.inject({ method: 'DELETE', url: `/releases/${rel.id}/tracks/${rel.tracks[0].id}`, headers: admin })).statusCode).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it('runs the processing lanes on the uploaded audio', async () => {
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    const res = await uploadTrackFile(t, admin, rel.id, rel.tracks[0].id, toneBytes({ seconds: 1, format: 'mp3' }));
    expect(res.statusCode).toBe(200);
    await t.container.startWorkers();
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    const probe = await t.container.services.processing.laneResult<{ durationMs: number; codec: string }>(res.json().data.cloudId, 'probe');
    expect(probe?.status).toBe('succeeded');
    expect(probe?.result.codec).toBe('mp3');
  }, 90_000);
});

describe.each(dialects())('distribution: release track media size limit (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect, env: { MAX_AUDIO_BYTES: '10000' } });
  });
  afterAll(async () => t?.close());

  it('refuses a file over the audio size limit and stores nothing', async () => {
    const admin = bearer(await t.token({ role: 'admin' }));
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    const res = await uploadTrackFile(t, admin, rel.id, rel.tracks[0].id);
    expect(res.statusCode).toBe(413);
    expect(res.json().status).toBe('error');
    expect(storedObjects(t, 't/')).toEqual([]);
    expect(await t.container.db.selectFrom('assets').select('id').execute()).toEqual([]);
  });
});
