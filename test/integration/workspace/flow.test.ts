import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { makeImage, makeTone } from '../../helpers/audio.js';
import { client, createTrack, uploadThroughApi, type Client } from './workspace-api.js';

const injectable = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

describe.each(dialects())('workspace end to end with processing (%s)', (dialect) => {
  let t: TestApp;
  let alice: Client;
  let anon: Client;
  let trackId: string;
  let otherId: string;
  let brokenId: string;

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
    anon = client(t, null);
    await t.container.startWorkers();
    trackId = await createTrack(t, alice, makeTone({ seconds: 3, frequency: 440, name: 'Night Drive.wav' }));
    otherId = await createTrack(t, alice, makeTone({ seconds: 2, frequency: 660, format: 'mp3', name: 'Harbour.mp3' }));
    brokenId = await createTrack(t, alice, { name: 'not-audio.wav', bytes: Buffer.from('this is not a wave file, only text'.repeat(50)) });
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
  });
  afterAll(async () => t?.close());

  it('processes an upload until it is ready, with duration, tempo and key on the track', async () => {
    const status = (await alice.get(`/tracks/${trackId}/processing-status`)).json();
    expect(status.readiness).toMatchObject({ ready: true, playable: true, state: 'ready' });
    for (const lane of ['playback', 'waveform', 'tags', 'embeddings']) expect(status.stages[lane].status, lane).toBe('succeeded');
    expect(['not_configured', 'skipped', 'succeeded']).toContain(status.stages.lyrics.status);
    expect(status.ingestionRun).toMatchObject({ startedAt: expect.any(String), finishedAt: expect.any(String) });
    const track = (await alice.get(`/tracks/${trackId}`)).json();
    expect(track.durationMs).toBeGreaterThan(2900);
    expect(track.durationMs).toBeLessThan(3100);
    const tags = (await alice.get(`/tracks/${trackId}/tags?includeHidden=true`)).json();
    expect(tags.machineTags.map((m: { type: string }) => m.type)).toEqual(expect.arrayContaining(['loudness']));
    for (const m of tags.machineTags) {
      expect(m.confidence).toBeGreaterThanOrEqual(0);
      expect(m.confidence).toBeLessThanOrEqual(1);
      expect(m.source).toBe('analysis');
    }
    const visible = (await alice.get(`/tracks/${trackId}/tags`)).json().machineTags;
    expect(visible.every((m: { hidden: boolean }) => !m.hidden)).toBe(true);
    const retry = await alice.post(`/tracks/${trackId}/processing/media-intelligence/retry`);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().status).toBe('nothing_to_retry');
  });

  it('reports a file that is not audio as failed, and re-dispatches it on retry', async () => {
    const status = (await alice.get(`/tracks/${brokenId}/processing-status`)).json();
    expect(status.readiness.state).toBe('failed');
    expect(status.stages.probe.status).toBe('failed');
    expect(status.stages.probe.error).not.toMatch(/\/tmp\//);
    expect((await alice.get(`/tracks/${brokenId}/peaks`)).json()).toEqual({ error: 'peaks_not_found' });
    const retry = await alice.post(`/tracks/${brokenId}/processing/media-intelligence/retry`);
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toEqual({ trackId: brokenId, status: 'dispatched' });
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    expect((await alice.get(`/tracks/${brokenId}/processing-status`)).json().stages.probe.attempts).toBeGreaterThanOrEqual(1);
  });

  it('serves peaks as audiowaveform v2 and a playback URL that streams audio', async () => {
    const peaks = await alice.get(`/tracks/${trackId}/peaks`);
    expect(peaks.statusCode).toBe(200);
    const p = peaks.json();
    expect(p).toMatchObject({ version: 2, length: 320 });
    expect([8, 16]).toContain(p.bits);
    expect(p.data.length).toBe(p.length * 2 * p.channels);
    expect(Math.max(...p.data)).toBeGreaterThan(0);
    const fine = (await alice.get(`/tracks/${trackId}/peaks?samplesPerPixel=256`)).json();
    expect(fine.version).toBe(2);
    expect(fine.length).toBeGreaterThanOrEqual(p.length);

    const playback = await alice.get(`/tracks/${trackId}/playback-url`);
    expect(playback.statusCode).toBe(200);
    const body = playback.json();
    expect(body).not.toHaveProperty('storageUri');
    expect(body.mimeType).toMatch(/^audio\//);
    const audio = await t.app.inject({ url: injectable(body.url) });
    expect(audio.statusCode).toBe(200);
    expect(audio.rawPayload.length).toBeGreaterThan(10_000);
    expect(audio.headers['content-type']).toMatch(/^audio\//);
    const mp3 = (await alice.get(`/tracks/${trackId}/playback-url?codec=mp3`)).json();
    expect(mp3.codec).toBe('mp3');

    const download = (await alice.get(`/tracks/${trackId}/download-url`)).json();
    const original = await t.app.inject({ url: injectable(download.url) });
    expect(original.rawPayload.subarray(0, 4).toString()).toBe('RIFF');
    const events = await t.container.repos.processing.countEvents(trackId, 'track.downloaded');
    expect(events).toBe(1);
  });

  it('shares the track publicly, counts plays, and stops at revocation', async () => {
    await uploadThroughApi(t, alice, `/tracks/${trackId}/artwork/uploads`, { name: 'cover.png', bytes: makeImage({ color: 'orange' }) });
    const link = (await alice.post(`/tracks/${trackId}/share-links`, { name: 'Listen', allowDownload: true })).json();
    const card = (await anon.get(`/public/track-links/${link.token}`)).json();
    expect(card.track.title).toBe('Night Drive');
    expect(card.track.durationMs).toBeGreaterThan(2900);
    expect(card.track.artworkUrl).toMatch(/\/storage\//);
    expect(card.peaks).toMatchObject({ version: 2, length: 320 });
    expect(card.link.allowDownload).toBe(true);

    const page = await t.container.modules.workspace.publicLinks.sharePage(link.token);
    expect(page).toMatchObject({ requiresAccessCode: false, allowDownload: true, track: { title: 'Night Drive' } });
    expect(page.peaks?.data.length).toBeGreaterThan(0);

    const playback = await anon.get(`/public/track-links/${link.token}/playback-url`);
    expect(playback.statusCode).toBe(200);
    const audio = await t.app.inject({ url: injectable(playback.json().url), headers: { range: 'bytes=0-99' } });
    expect(audio.statusCode).toBe(206);
    expect(audio.rawPayload.length).toBe(100);
    expect((await anon.post(`/public/track-links/${link.token}/events`, { type: 'play' })).statusCode).toBe(204);
    expect((await anon.post(`/public/track-links/${link.token}/events`, { type: 'play' })).statusCode).toBe(204);
    expect((await alice.get(`/tracks/${trackId}/share-links`)).json().records[0].stats).toMatchObject({ views: 2, plays: 2 });
    expect(await t.container.repos.processing.countEvents(trackId, 'track.played', link.id)).toBe(2);

    expect((await alice.del(`/tracks/${trackId}/share-links/${link.id}`)).statusCode).toBe(204);
    for (const url of [`/public/track-links/${link.token}`, `/public/track-links/${link.token}/playback-url`, `/public/track-links/${link.token}/download-url`]) {
      expect((await anon.get(url)).statusCode).toBe(404);
    }
  });

  it('finds tracks by keyword and by sound, and reports facets', async () => {
    await alice.patch(`/tracks/${otherId}/metadata`, { artist: 'The Fixtures', genre: 'Ambient', userTags: ['mood:calm'] });
    const keyword = (await alice.post('/search/tracks', { query: 'night', mode: 'keyword', includeFacets: true })).json();
    expect(keyword.mode).toBe('keyword');
    expect(keyword.records.map((r: { id: string }) => r.id)).toEqual([trackId]);
    expect(keyword.records[0].score).toBeGreaterThan(0);
    expect(keyword.facets).toHaveProperty('artist');

    const similar = await alice.post('/search/tracks', { mode: 'similar', similarToTrackId: trackId });
    expect(similar.statusCode).toBe(200);
    const hits = similar.json().records;
    expect(hits.map((r: { id: string }) => r.id)).toEqual([otherId]);
    expect(hits[0].similarity).toBeGreaterThanOrEqual(-1);
    expect(hits[0].similarity).toBeLessThanOrEqual(1);

    const auto = (await alice.post('/search/tracks', { query: 'harbour', similarToTrackId: trackId })).json();
    expect(auto.mode).toBe('hybrid');
    expect(auto.records[0].id).toBe(otherId);
    const facets = (await alice.post('/search/tracks', { mode: 'keyword', includeFacets: true })).json().facets;
    expect(facets.genre).toEqual([{ value: 'Ambient', count: 1 }]);
    expect(facets.mood).toEqual([{ value: 'calm', count: 1 }]);
    expect(facets.bpm === null || facets.bpm.min <= facets.bpm.max).toBe(true);
  });

  it('reports lyrics a user gave as available, where before there was only a transcriber that is not configured', async () => {
    const before = (await alice.get(`/tracks/${otherId}/lyrics`)).json();
    expect(before).toEqual({ trackId: otherId, lyrics: null, hasLyrics: false, source: null, status: 'not_configured', updatedAt: expect.any(String) });

    const put = await alice.put(`/tracks/${otherId}/lyrics`, { lyrics: 'Salt on the pier\nlights on the water' });
    expect(put.statusCode, put.body).toBe(200);
    const expected = { trackId: otherId, lyrics: 'Salt on the pier\nlights on the water', hasLyrics: true, source: 'user', status: 'available' };
    expect(put.json()).toMatchObject(expected);
    const after = (await alice.get(`/tracks/${otherId}/lyrics`)).json();
    expect(after).toEqual({ ...expected, updatedAt: expect.any(String) });
    expect(after.updatedAt >= before.updatedAt).toBe(true);

    // Cleared, the track is back to what the transcription lane says.
    const cleared = (await alice.put(`/tracks/${otherId}/lyrics`, { lyrics: null })).json();
    expect(cleared).toMatchObject({ lyrics: null, hasLyrics: false, source: null, status: 'not_configured' });
  });
});
