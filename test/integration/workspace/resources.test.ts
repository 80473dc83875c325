import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { makeImage, toneBytes } from '../../helpers/audio.js';
import { client, createTrack, uploadThroughApi, type Client } from './workspace-api.js';

describe.each(dialects())('workspace track resources (%s)', (dialect) => {
  let t: TestApp;
  let alice: Client;
  let wav: Buffer;
  let trackId: string;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
    wav = toneBytes({ seconds: 1 });
    trackId = await createTrack(t, alice, { name: 'base.wav', bytes: wav });
  });
  afterAll(async () => t?.close());

  it('dispatches known resources and refuses unknown ones and unsupported methods', async () => {
    for (const resource of ['tags', 'rights', 'lyrics', 'stems', 'versions', 'media-assets', 'split-sheet']) {
      const res = await alice.get(`/tracks/${trackId}/${resource}`);
      expect(res.statusCode, resource).toBe(200);
    }
    const unknown = await alice.get(`/tracks/${trackId}/karaoke`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'track_resource_not_found' });
    expect((await alice.put(`/tracks/${trackId}/karaoke`, {})).json().error).toBe('track_resource_not_found');
    expect((await alice.del(`/tracks/${trackId}/karaoke`)).json().error).toBe('track_resource_not_found');
    const cases: Array<[string, () => Promise<{ statusCode: number; json(): { error: string }; headers: Record<string, unknown> }>]> = [
      ['PUT tags', () => alice.put(`/tracks/${trackId}/tags`, {})],
      ['PATCH lyrics', () => alice.patch(`/tracks/${trackId}/lyrics`, {})],
      ['GET metadata', () => alice.get(`/tracks/${trackId}/metadata`)],
      ['PUT metadata', () => alice.put(`/tracks/${trackId}/metadata`, {})],
      ['PUT peaks', () => alice.put(`/tracks/${trackId}/peaks`, {})],
      ['PATCH split-sheet', () => alice.patch(`/tracks/${trackId}/split-sheet`, {})],
      ['DELETE versions', () => alice.del(`/tracks/${trackId}/versions`)],
      ['POST rights', () => alice.post(`/tracks/${trackId}/rights`, {})],
      ['PUT playback-url', () => alice.put(`/tracks/${trackId}/playback-url`, {})],
    ];
    for (const [name, run] of cases) {
      const res = await run();
      expect(res.statusCode, name).toBe(405);
      expect(res.json().error).toBe('method_not_allowed');
      expect(res.headers.allow).toBeTruthy();
    }
    // A foreign track with a known resource: the track is what is missing.
    expect((await alice.get('/tracks/00000000-0000-7000-8000-000000000000/tags')).json().error).toBe('track_not_found');
  });

  it('has no peaks until the waveform lane succeeded, and rights without a split sheet are empty', async () => {
    const peaks = await alice.get(`/tracks/${trackId}/peaks`);
    expect(peaks.statusCode).toBe(404);
    expect(peaks.json()).toEqual({ error: 'peaks_not_found' });
    expect((await alice.get(`/tracks/${trackId}/rights`)).json()).toEqual({ entries: [], status: { isComplete: false, validationErrors: [], validatedAt: null } });
    expect((await alice.get(`/tracks/${trackId}/tags?includeHidden=true`)).json()).toEqual({ trackId, userTags: [], machineTags: [] });
    expect((await alice.get(`/tracks/${trackId}/tags?includeHidden=maybe`)).statusCode).toBe(400);
    const playback = await alice.get(`/tracks/${trackId}/playback-url`);
    expect(playback.statusCode).toBe(409);
    expect(playback.json().error).toBe('playback_not_ready');
  });

  it('replaces lyrics', async () => {
    const put = await alice.put(`/tracks/${trackId}/lyrics`, { lyrics: 'Headlights on the wet road' });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ trackId, lyrics: 'Headlights on the wet road', source: 'user' });
    expect((await alice.get(`/tracks/${trackId}/lyrics`)).json().lyrics).toBe('Headlights on the wet road');
    expect((await alice.put(`/tracks/${trackId}/lyrics`, { lyrics: 5 })).json()).toMatchObject({ error: 'validation_error', issues: [{ path: 'body.lyrics' }] });
    expect((await alice.put(`/tracks/${trackId}/lyrics`, {})).statusCode).toBe(400);
    // Lyrics are searchable in the track list.
    expect((await alice.get('/tracks?query=headlights')).json().records.map((r: { id: string }) => r.id)).toEqual([trackId]);
    const cleared = (await alice.put(`/tracks/${trackId}/lyrics`, { lyrics: null })).json();
    expect(cleared).toMatchObject({ lyrics: null, source: null });
  });

  it('uploads artwork and documents and reads them back through media-assets', async () => {
    const png = makeImage({ color: 'blue' });
    expect((await alice.post(`/tracks/${trackId}/artwork/uploads`, { fileName: 'cover.wav', contentType: 'audio/wav', byteSize: 10 })).json().error).toBe('validation_error');
    const art = await uploadThroughApi(t, alice, `/tracks/${trackId}/artwork/uploads`, { name: 'cover.png', bytes: png });
    expect(art.ticket.trackId).toBe(trackId);
    const doc = await uploadThroughApi(t, alice, `/tracks/${trackId}/documents/uploads`, { name: 'lyrics sheet.pdf', bytes: Buffer.from('%PDF-1.4 test') });
    expect((await alice.post(`/tracks/${trackId}/documents/uploads`, { fileName: 'x.exe', contentType: 'application/x-msdownload', byteSize: 10 })).statusCode).toBe(400);

    const media = (await alice.get(`/tracks/${trackId}/media-assets`)).json();
    expect(media.artwork).toHaveLength(1);
    expect(media.artwork[0]).toMatchObject({ id: art.ticket.assetId, kind: 'artwork', contentType: 'image/png', isCurrent: true, status: 'uploaded' });
    expect(media.documents[0]).toMatchObject({ id: doc.ticket.assetId, kind: 'document', contentType: 'application/pdf' });
    expect(JSON.stringify(media)).not.toMatch(/storageKey|storageUri|ownerUserId/);
    const image = await t.app.inject({ url: new URL(media.artwork[0].url).pathname + new URL(media.artwork[0].url).search });
    expect(image.statusCode).toBe(200);
    expect(image.rawPayload.equals(png)).toBe(true);
    const track = (await alice.get(`/tracks/${trackId}`)).json();
    expect(track.artworkUrl).toMatch(/^http:\/\/ledgerline\.test\/storage\//);
    expect((await alice.get('/tracks')).json().records.find((r: { id: string }) => r.id === trackId).artworkUrl).toBeTruthy();

    const download = await alice.get(`/tracks/${trackId}/download-url?assetId=${doc.ticket.assetId}`);
    expect(download.statusCode).toBe(200);
    expect(download.json()).toMatchObject({ assetId: doc.ticket.assetId, fileName: 'lyrics_sheet.pdf' });
    expect((await alice.get(`/tracks/${trackId}/download-url?assetId=nope`)).json().error).toBe('asset_not_found');
  });

  it('uploads named stems', async () => {
    expect((await alice.post(`/tracks/${trackId}/stems/uploads`, { fileName: 'drums.wav', contentType: 'audio/wav', byteSize: wav.length })).statusCode).toBe(400);
    const stem = await uploadThroughApi(t, alice, `/tracks/${trackId}/stems/uploads`, { name: 'drums.wav', bytes: wav, extra: { name: 'Drums' } });
    const stems = (await alice.get(`/tracks/${trackId}/stems`)).json();
    expect(stems.stems).toEqual([expect.objectContaining({ id: stem.ticket.assetId, name: 'Drums', kind: 'stem', status: 'uploaded' })]);
    expect(JSON.stringify(stems)).not.toMatch(/storage|playbackUrl/);
  });

  it('adds versions, promotes one, and never deletes the original', async () => {
    expect((await alice.post(`/tracks/${trackId}/versions/uploads`, { fileName: 'v2.png', contentType: 'image/png', byteSize: 10 })).json()).toMatchObject({
      error: 'validation_error',
      issues: [{ path: 'body.contentType' }],
    });
    const v2 = await uploadThroughApi(t, alice, `/tracks/${trackId}/versions/uploads`, { name: 'v2.wav', bytes: wav, extra: { label: 'Radio edit' } });
    const listed = (await alice.get(`/tracks/${trackId}/versions`)).json();
    expect(listed.versions).toHaveLength(2);
    const [original, second] = listed.versions;
    expect(original).toMatchObject({ isOriginal: true, isCurrent: true });
    expect(second).toMatchObject({ label: 'Radio edit', isOriginal: false, isCurrent: false, assetId: v2.ticket.assetId });
    expect(second).not.toHaveProperty('playbackUrl');

    const promoted = (await alice.post(`/tracks/${trackId}/versions/${second.id}/promote`)).json();
    expect(promoted.currentVersionId).toBe(second.id);
    expect((await alice.get(`/tracks/${trackId}`)).json().primaryAssetId).toBe(v2.ticket.assetId);
    expect((await alice.get(`/tracks/${trackId}/download-url`)).json().assetId).toBe(v2.ticket.assetId);

    const refuse = await alice.del(`/tracks/${trackId}/versions/${original.id}`);
    expect(refuse.statusCode).toBe(409);
    expect(refuse.json()).toEqual({ error: 'original_version_cannot_be_deleted' });
    const removed = await alice.del(`/tracks/${trackId}/versions/${second.id}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ currentVersionId: original.id, versions: [expect.objectContaining({ id: original.id })] });
    expect(removed.json().versions).toHaveLength(1);
    expect((await alice.post(`/tracks/${trackId}/versions/${second.id}/promote`)).json().error).toBe('version_not_found');
  });

  it('reports processing status without internals, and retry with nothing to do', async () => {
    const res = await alice.get(`/tracks/${trackId}/processing-status`);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['trackId', 'stages', 'assets', 'remoteDispatches', 'readiness']));
    expect(Object.keys(s.stages)).toEqual(expect.arrayContaining(['playback', 'waveform', 'tags', 'stems', 'lyrics', 'embeddings']));
    expect(s).not.toHaveProperty('versionId');
    expect(JSON.stringify(s)).not.toMatch(/storageKey|t\/[0-9a-f-]{36}\//);
    const retry = await alice.post(`/tracks/${trackId}/processing/media-intelligence/retry`);
    expect([200, 202]).toContain(retry.statusCode);
    expect((await alice.post('/tracks/00000000-0000-7000-8000-000000000000/processing/media-intelligence/retry')).statusCode).toBe(404);
  });
});
