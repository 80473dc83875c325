import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { DDEX_ENV, nextIsrc, readyProduct } from './ddex-fixtures.js';
import { createRelease, mp3, uploadTrackFile, type Headers } from './fixtures.js';

const codes = (issues: Array<{ code: string }>) => issues.map((i) => i.code).sort();

describe.each(dialects())('distribution: DDEX readiness (%s)', (dialect) => {
  let t: TestApp;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestApp({ dialect, env: DDEX_ENV });
    admin = bearer(await t.token({ role: 'admin' }));
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ url, headers: admin });

  it("reports a ready asset's DDEX metadata with the master's technical details", async () => {
    const p = await readyProduct(t, admin, { tracks: [{ title: 'Metadata Song', contributors: { composer: ['Ada Writer'] } }] });
    const ready = await get(`/asset/${p.assets[0].asset}/ddex-readiness`);
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ success: true, data: { assetId: p.assets[0].asset, ready: true, issues: [] } });
    const meta = (await get(`/asset/${p.assets[0].asset}/ddex-metadata`)).json().data;
    expect(meta).toMatchObject({
      resourceType: 'SoundRecording', title: 'Metadata Song', displayArtistName: 'The Wave Collective', parentalWarningType: 'NotExplicit',
      technicalDetails: { codec: expect.stringMatching(/PCM/i), sampleRate: 44100, bitsPerSample: 16, channels: 2, lossless: true, md5: expect.stringMatching(/^[0-9a-f]{32}$/) },
      contributors: [{ name: 'Ada Writer', role: 'composer' }],
    });
    expect(meta.duration).toMatch(/^PT1(\.\d+)?S$/);
    expect((await get('/asset/nope/ddex-readiness')).statusCode).toBe(404);
  });

  it('names every problem of an asset: no ISRC, no audio; lossy or low-rate masters', async () => {
    const bare = (await t.app.inject({ method: 'POST', url: '/asset', headers: admin, payload: { title: 'Bare' } })).json().data;
    const res = (await get(`/asset/${bare.id}/ddex-readiness`)).json().data;
    expect(res.ready).toBe(false);
    expect(codes(res.issues)).toEqual(['audio_missing', 'display_artist_missing', 'isrc_missing']);

    const lossy = await readyProduct(t, admin, { audio: mp3() }).catch((e: Error) => e);
    expect(lossy).toBeInstanceOf(Error);
    expect(String(lossy)).toContain('lossless master of at least 16 bits');

    const low = toneBytes({ seconds: 1, format: 'wav' });
    // Rewrite the WAV header to say 22.05 kHz (and its byte rate), as a low-rate master would.
    low.writeUInt32LE(22050, 24);
    low.writeUInt32LE(22050 * 4, 28);
    const rel = await createRelease(t, admin, { tracks: [{ title: 'Low', displayArtist: 'A', isrc: nextIsrc() }] });
    await uploadTrackFile(t, admin, rel.id, rel.tracks[0].id, low, { filename: 'low.wav', contentType: 'audio/wav' });
    const submit = await t.app.inject({ method: 'POST', url: `/releases/${rel.id}/submit`, headers: admin });
    expect(submit.statusCode).toBe(400);
    expect(submit.json()).toMatchObject({ status: 'error', code: 'release_incomplete', issues: [expect.objectContaining({ code: 'audio_sample_rate_too_low', trackNumber: 1 })] });
    expect(submit.json().message).toContain('22050 Hz');
  });

  it('refuses to submit a release without ISRCs or a release date, naming each', async () => {
    const rel = await createRelease(t, admin, { releaseDate: null, tracks: [{ title: 'One', displayArtist: 'A', media: [{ url: 'https://x.test/1.wav', type: 'audio' }] }, { title: 'Two', displayArtist: 'A', isrc: 'NOTANISRC', media: [{ url: 'https://x.test/2.wav', type: 'audio' }] }] }).catch(() => null);
    // An invalid ISRC is refused at input; a missing one at submit.
    expect(rel).toBeNull();
    const draft = await createRelease(t, admin, { releaseDate: null, tracks: [{ title: 'One', displayArtist: 'A', media: [{ url: 'https://x.test/1.wav', type: 'audio' }] }] });
    const res = await t.app.inject({ method: 'POST', url: `/releases/${draft.id}/submit`, headers: admin });
    expect(res.statusCode).toBe(400);
    expect(codes(res.json().issues)).toEqual(['isrc_missing', 'release_date_missing']);
    expect(res.json().message).toMatch(/Track 1 has no ISRC.*no release date|no release date.*Track 1 has no ISRC/);
  });
});
