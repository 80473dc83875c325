import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.js';
import { dialects } from '../../helpers/app.js';
import { injectPath, makeImage, toneBytes, toneWithArt } from '../../helpers/audio.js';
import { setup, uploadTo, type Org } from './setup.js';

const stored = async (t: TestApp, key: string) => (await t.container.store.stat(key)) !== null;

describe.each(dialects())('collections: upload to ready, variants, playback (%s)', (dialect) => {
  let t: TestApp;
  let org: Org;
  let collectionId: string;
  let trackId: string;
  beforeAll(async () => {
    ({ t, org } = await setup(dialect));
    await t.container.startWorkers();
    collectionId = (await org.api.post('/v1/collection', { title: 'Pipeline' })).body.collection_id;
  });
  afterAll(async () => t?.close());

  it('processes bytes PUT to track_upload.upload_url into a ready track', async () => {
    const created = await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'tone.mp3', player_title: 'Tone' });
    expect(created.status).toBe(200);
    trackId = created.body.track_id;
    expect(created.body.track.track_status_id).toBe('initializing');
    expect(created.body.track_upload.headers).toEqual({ 'Content-Type': 'audio/mpeg' });
    const put = await uploadTo(t, created.body.track_upload, toneBytes({ seconds: 2, format: 'mp3' }));
    expect(put.statusCode).toBe(200);
    const during = (await org.api.get(`/v1/track/${trackId}`)).body.track.track_status_id;
    expect(['processing', 'ready']).toContain(during);
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    const got = await org.api.get(`/v1/track/${trackId}`);
    expect(got.body.track.track_status_id).toBe('ready');
    expect(got.body.track.status).toBe('ready');
    expect(got.body.track.duration).toBeGreaterThan(1.9);
    expect(got.body.track.duration).toBeLessThan(2.2);
    expect(got.body.track.size).toBeGreaterThan(1000);
    expect(got.body.track.files_completed_at).not.toBeNull();
    const base = got.body.track.base_path as string;
    expect(await stored(t, `${base}_128.m4a`)).toBe(true);
    expect(await stored(t, `${base}_128.mp3`)).toBe(true);
  });

  it('plays through a play session: signed variant URLs that serve audio, waveform levels', async () => {
    const session = await org.api.post('/v1/play_session/track', { track_id: trackId, variants: ['hq', 'lq'] });
    expect(session.status).toBe(200);
    const first = session.body.first_track;
    expect(first.track_id).toBe(trackId);
    expect(first.variants.map((v: { index: string }) => v.index)).toEqual(['hq', 'lq']);
    expect(first.levels.length).toBe(320);
    expect(first.levels.data.length).toBe(640);
    const audio = await t.app.inject({ url: injectPath(first.variants[0].url) });
    expect(audio.statusCode).toBe(200);
    expect(audio.headers['content-type']).toBe('audio/mp4');
    expect(audio.rawPayload.length).toBeGreaterThan(1000);

    const sid = session.body.play_session_id;
    const play = await t.app.inject({ url: `/v1/play/${sid}/${trackId}` });
    expect(play.statusCode).toBe(200);
    expect(play.json().variants).toHaveLength(2);
    expect(play.json().variants[1].url).toContain('_128.mp3');
    const denied = await t.app.inject({ url: `/v1/play/${sid}/${trackId}/hq/download` });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ ok: false, message: 'This play session does not allow downloads' });

    const downloadable = await org.api.post('/v1/play_session/track', { track_id: trackId, variants: ['lq', 'original'], is_downloadable: true });
    expect(downloadable.body.play_session.is_downloadable).toBe(true);
    const dl = await t.app.inject({ url: `/v1/play/${downloadable.body.play_session_id}/${trackId}/original/download` });
    expect(dl.statusCode).toBe(200);
    const file = await t.app.inject({ url: injectPath(dl.json().download.url) });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.rawPayload.subarray(0, 3).toString('latin1')).toMatch(/ID3|\xff/);
    const notInSession = await t.app.inject({ url: `/v1/play/${downloadable.body.play_session_id}/${trackId}/hq/download` });
    expect(notInSession.statusCode).toBe(404);
  });

  it('adds track-specific transcode and preview variants, rendered under the base path', async () => {
    const transcode = await org.api.post(`/v1/track/${trackId}/variant`, { variant_type_id: 'transcode', index: 'opus-low', codec: 'opus', bitrate: 48, is_stereo: false });
    expect(transcode.status).toBe(200);
    expect(transcode.body.job_id).toEqual(expect.any(String));
    expect(transcode.body.variant).toMatchObject({ index: 'opus-low', type: 'transcode', format: 'opus', bitrate: 48, is_stereo: false, status: 'pending' });
    expect((await org.api.get(`/v1/track/${trackId}`)).body.track.track_status_id).toBe('processing');
    const preview = await org.api.post(`/v1/track/${trackId}/variant`, { variant_type_id: 'preview', index: 'preview', codec: 'mp3', preview_type: 'seconds', preview_seconds: 1, preview_start_percent: 10 });
    expect(preview.status).toBe(200);
    const duplicate = await org.api.post(`/v1/track/${trackId}/variant`, { variant_type_id: 'transcode', index: 'preview' });
    expect(duplicate.status).toBe(409);
    const orgIndex = await org.api.post(`/v1/track/${trackId}/variant`, { variant_type_id: 'transcode', index: 'hq' });
    expect(orgIndex.status).toBe(409);

    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    const track = (await org.api.get(`/v1/track/${trackId}`)).body.track;
    expect(track.track_status_id).toBe('ready');
    expect(await stored(t, `${track.base_path}_opus-low.opus`)).toBe(true);
    expect(await stored(t, `${track.base_path}_preview.mp3`)).toBe(true);
    const v = await org.api.get(`/v1/variant/${preview.body.variant_id}`);
    expect(v.body.variant).toMatchObject({ index: 'preview', type: 'preview', status: 'ready', track_id: trackId });

    const session = await org.api.post('/v1/play_session/track', { track_id: trackId, variants: ['preview'] });
    const clip = session.body.first_track.variants[0];
    expect(clip.index).toBe('preview');
    const bytes = await t.app.inject({ url: injectPath(clip.url) });
    expect(bytes.statusCode).toBe(200);
    const row = await t.container.db.selectFrom('collectionVariants').select('durationMs').where('id', '=', preview.body.variant_id).executeTakeFirstOrThrow();
    expect(Number(row.durationMs)).toBeGreaterThan(800);
    expect(Number(row.durationMs)).toBeLessThan(1300);
  });

  it('refuses a variant on a track without a source (422)', async () => {
    const bare = await org.api.post('/v1/track', { collection_id: collectionId, file_name: 'later.wav' });
    const res = await org.api.post(`/v1/track/${bare.body.track_id}/variant`, { variant_type_id: 'transcode', index: 'mp3-320', codec: 'mp3', bitrate: 320 });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ ok: false, message: 'The track has no source file to process yet' });
  });

  it('takes a cover by POST and sets player_color from it, keeping a colour the client chose', async () => {
    const handle = (await org.api.post(`/v1/track/${trackId}/cover`)).body.track_cover_upload;
    expect(handle.method).toBe('POST');
    const image = makeImage({ color: '0x3366ff' });
    const raw = await t.app.inject({ method: 'POST', url: injectPath(handle.upload_url), headers: { 'content-type': 'image/png' }, payload: image });
    expect(raw.statusCode).toBe(200);
    const track = (await org.api.get(`/v1/track/${trackId}`)).body.track;
    expect(track.player_color).toMatch(/^#[0-9a-f]{6}$/);
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(track.player_color.slice(i, i + 2), 16));
    expect(b).toBeGreaterThan(r + 100);
    expect(b).toBeGreaterThan(g);
    expect(track.player_color_light).toMatch(/^#[0-9a-f]{6}$/);
    expect(track.player_color_dark).toMatch(/^#[0-9a-f]{6}$/);
    expect(track.cover_image).toContain('/artwork/');
    expect((await t.app.inject({ url: injectPath(track.cover_image) })).statusCode).toBe(200);

    await org.api.put(`/v1/track/${trackId}`, { player_color: '#AA0011' });
    const boundary = 'llboundary';
    const multipart = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.png"\r\nContent-Type: image/png\r\n\r\n`),
      makeImage({ color: 'yellow' }),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const viaForm = await t.app.inject({ method: 'POST', url: injectPath(handle.upload_url), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: multipart });
    expect(viaForm.statusCode).toBe(200);
    expect((await org.api.get(`/v1/track/${trackId}`)).body.track.player_color).toBe('#AA0011');

    const forged = handle.upload_url.replace(/signature=[0-9a-f]{4}/, 'signature=0000');
    expect((await t.app.inject({ method: 'POST', url: injectPath(forged), headers: { 'content-type': 'image/png' }, payload: image })).statusCode).toBe(403);
    const notImage = await t.app.inject({ method: 'POST', url: injectPath(handle.upload_url), headers: { 'content-type': 'image/png' }, payload: Buffer.from('not an image at all') });
    expect(notImage.statusCode).toBe(400);
  });

  it('adopts cover art embedded in the audio as the track cover and takes player_color from it, unless the client chose one', async () => {
    const artCollection = (await org.api.post('/v1/collection', { title: 'Embedded art' })).body.collection_id;
    const plain = await org.api.post('/v1/track', { collection_id: artCollection, file_name: 'with-art.mp3' });
    const chosen = await org.api.post('/v1/track', { collection_id: artCollection, file_name: 'with-art-chosen.mp3', player_color: '#00AA11' });
    const bytes = toneWithArt({ color: '0x3366ff' });
    expect((await uploadTo(t, plain.body.track_upload, bytes)).statusCode).toBe(200);
    expect((await uploadTo(t, chosen.body.track_upload, bytes)).statusCode).toBe(200);
    await t.container.queue.onIdle({ timeoutMs: 60_000 });

    const track = (await org.api.get(`/v1/track/${plain.body.track_id}`)).body.track;
    expect(track.track_status_id).toBe('ready');
    expect(track.cover_image).toContain('/artwork/');
    const art = await t.app.inject({ url: injectPath(track.cover_image) });
    expect(art.statusCode).toBe(200);
    expect(art.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(track.player_color.slice(i, i + 2), 16));
    expect(b).toBeGreaterThan(r + 100);
    expect(b).toBeGreaterThan(g);

    const kept = (await org.api.get(`/v1/track/${chosen.body.track_id}`)).body.track;
    expect(kept.cover_image).toContain('/artwork/');
    expect(kept.player_color).toBe('#00AA11');

    // A cover the client uploads afterwards replaces the embedded one.
    const handle = (await org.api.post(`/v1/track/${plain.body.track_id}/cover`)).body.track_cover_upload;
    expect((await t.app.inject({ method: 'POST', url: injectPath(handle.upload_url), headers: { 'content-type': 'image/png' }, payload: makeImage({ color: 'yellow' }) })).statusCode).toBe(200);
    const replaced = (await org.api.get(`/v1/track/${plain.body.track_id}`)).body.track;
    expect(replaced.cover_image).not.toBe(track.cover_image);
    expect(new URL(replaced.cover_image).pathname).not.toContain('embedded-');
  });

  it('gives the embeddable players their data, authorised by a player key or a play session', async () => {
    const { embed } = t.container.modules.collections;
    const player = (await org.api.post('/v1/api_key', { title: 'embed', api_key_type_id: 'player', collection_id: collectionId })).body.api_key;
    const model = await embed.forTrack(trackId, { playerKey: player });
    expect(model).toMatchObject({ kind: 'track', title: 'Tone', color: '#AA0011' });
    expect(model.colorLight).toMatch(/^#[0-9a-f]{6}$/);
    expect(model.colorDark).toMatch(/^#[0-9a-f]{6}$/);
    expect(model.coverUrl).toContain('/artwork/');
    expect(model.tracks).toHaveLength(1);
    expect(model.tracks[0].peaks?.length).toBe(320);
    expect((await t.app.inject({ url: injectPath(model.tracks[0].streamUrl) })).statusCode).toBe(200);

    // The organization's colour wins once it forbids overriding it.
    await org.api.put(`/v1/organization/${org.tenantId}`, { player_color: '#112233', is_theme_overridable: false });
    expect((await embed.forTrack(trackId, { playerKey: player })).color).toBe('#112233');
    await org.api.put(`/v1/organization/${org.tenantId}`, { is_theme_overridable: true });
    expect((await embed.forTrack(trackId, { playerKey: player })).color).toBe('#AA0011');

    const collection = await embed.forCollection(collectionId, { playerKey: player });
    expect(collection).toMatchObject({ kind: 'collection', title: 'Pipeline' });
    expect(collection.tracks.map((x) => x.id)).toEqual([trackId]);

    const session = (await org.api.post('/v1/play_session/track', { track_id: trackId })).body.play_session_id;
    expect((await embed.forTrack(trackId, { playSessionId: session })).tracks).toHaveLength(1);
    await expect(embed.forCollection(collectionId, { playSessionId: session })).rejects.toMatchObject({ status: 404 });
    const elsewhere = (await org.api.post('/v1/collection', { title: 'Other' })).body.collection_id;
    const otherKey = (await org.api.post('/v1/api_key', { title: 'x', api_key_type_id: 'player', collection_id: elsewhere })).body.api_key;
    await expect(embed.forTrack(trackId, { playerKey: otherKey })).rejects.toMatchObject({ status: 404 });
    await expect(embed.forTrack(trackId, { playerKey: 'll_nope' })).rejects.toMatchObject({ status: 404 });
    await expect(embed.forTrack(trackId, {})).rejects.toMatchObject({ status: 404 });
  });

  it('takes a collection cover: theme palette and player colour from the image', async () => {
    const handle = (await org.api.post(`/v1/collection/${collectionId}/cover`)).body.collection_cover_upload;
    const res = await t.app.inject({ method: 'POST', url: injectPath(handle.upload_url), headers: { 'content-type': 'application/octet-stream' }, payload: makeImage({ color: '0x22aa44' }) });
    expect(res.statusCode).toBe(200);
    const collection = (await org.api.get(`/v1/collection/${collectionId}`)).body.collection;
    // The test image went through YUV, so its green is only close to the one asked for.
    expect(collection.theme).toHaveLength(1);
    expect(collection.theme[0].area).toBe(1);
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(collection.theme[0].hex.slice(i, i + 2), 16));
    expect(Math.abs(r - 0x22) + Math.abs(g - 0xaa) + Math.abs(b - 0x44)).toBeLessThan(12);
    expect(collection.player_color).toBe(collection.theme[0].hex);
    expect(collection.player_color_dark).toMatch(/^#[0-9a-f]{6}$/);
    expect((await t.app.inject({ url: injectPath(collection.cover_image) })).statusCode).toBe(200);
  });

  it('deletes the track with every file it had', async () => {
    const track = (await org.api.get(`/v1/track/${trackId}`)).body.track;
    const source = await t.container.db.selectFrom('assets').select('storageKey').where('trackId', '=', trackId).where('kind', '=', 'audio').executeTakeFirstOrThrow();
    const keys = [`${track.base_path}_128.m4a`, `${track.base_path}_128.mp3`, `${track.base_path}_preview.mp3`, source.storageKey];
    for (const k of keys) expect(await stored(t, k)).toBe(true);
    const del = await org.api.del(`/v1/track/${trackId}`);
    expect(del.status).toBe(200);
    expect(del.body.deleted_track.id).toBe(trackId);
    for (const k of keys) expect(await stored(t, k)).toBe(false);
    expect((await org.api.get(`/v1/track/${trackId}`)).status).toBe(404);
    expect(await t.container.db.selectFrom('assets').select('id').where('trackId', '=', trackId).execute()).toEqual([]);
  });
});
