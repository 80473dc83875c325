import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { makeTone } from '../../helpers/audio.js';
import { MIN_TEMPO_CONFIDENCE } from '../../../src/media/tempo.js';
import type { TagsResult } from '../../../src/services/lane-results.js';
import { createRelease, tracksOf, uploadTrackFile, type Headers } from '../distribution/fixtures.js';
import { client, createTrack, type Client } from '../workspace/workspace-api.js';

/** Ten seconds of a 1 kHz click on every beat at 120 BPM, as MP3. */
function clickTrack(): Buffer {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'll-click-')), 'click-120.mp3');
  const expression = 'if(lt(mod(t\\,0.5)\\,0.015)\\,0.8*sin(2*PI*1000*t)\\,0)';
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc=${expression}:s=44100:d=10`, '-c:a', 'libmp3lame', '-b:a', '128k', file], { stdio: 'pipe' });
  return readFileSync(file);
}

describe.each(dialects())('analysis publishes tempo and key only when it has them (%s)', (dialect) => {
  let t: TestApp;
  let ws: Client;
  let admin: Headers;
  let sineId: string;
  let clickId: string;
  let release: { id: string; trackId: string };

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    const token = await t.token({ role: 'admin' });
    ws = client(t, token);
    admin = bearer(token);
    await t.container.startWorkers();
    sineId = await createTrack(t, ws, makeTone({ seconds: 10, frequency: 440, name: 'Sine.wav' }));
    clickId = await createTrack(t, ws, { name: 'Click.mp3', bytes: clickTrack() });
    const rel = await createRelease(t, admin, { tracks: tracksOf(1) });
    release = { id: rel.id, trackId: rel.tracks[0].id };
    const media = await uploadTrackFile(t, admin, rel.id, release.trackId, readFileSync(makeTone({ seconds: 10, frequency: 440, format: 'mp3', name: 'Sine.mp3' })), { filename: 'sine.mp3' });
    expect(media.statusCode, media.body).toBe(200);
    await t.container.queue.onIdle({ timeoutMs: 90_000 });
  }, 120_000);
  afterAll(async () => t?.close());

  it('shows no tempo and no key for a sine on the workspace and distribution surfaces, and a tempo for a click track', async () => {
    for (const id of [sineId, clickId]) expect((await ws.get(`/tracks/${id}/processing-status`)).json().stages.tags.status).toBe('succeeded');

    const sine = (await ws.get(`/tracks/${sineId}`)).json();
    expect(sine).not.toHaveProperty('bpm');
    expect(sine).not.toHaveProperty('musicalKey');
    const sineTags = (await ws.get(`/tracks/${sineId}/tags?includeHidden=true`)).json().machineTags.map((m: { type: string }) => m.type);
    expect(sineTags).toContain('loudness');
    expect(sineTags).not.toContain('bpm');
    expect(sineTags).not.toContain('key');
    expect((await t.app.inject({ url: `/asset/${sineId}`, headers: admin })).json().data).toMatchObject({ tempo: null, key: null });

    const click = (await ws.get(`/tracks/${clickId}`)).json();
    expect(Math.abs(click.bpm - 120)).toBeLessThanOrEqual(1);
    expect((await ws.get(`/tracks/${clickId}/tags`)).json().machineTags).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'bpm', value: '120' })]));
    expect(Math.abs((await t.app.inject({ url: `/asset/${clickId}`, headers: admin })).json().data.tempo - 120)).toBeLessThanOrEqual(1);
  });

  it('keeps the withheld estimate and its confidence in the stored tags result', async () => {
    const status = (await ws.get(`/tracks/${sineId}/processing-status`)).json();
    const audio = status.assets.find((a: { kind: string }) => a.kind === 'audio');
    const lane = await t.container.services.processing.laneResult<TagsResult>(audio.id, 'tags');
    expect(lane?.result).toMatchObject({ bpm: null, key: null, mode: null, bpmEstimate: expect.any(Number), keyEstimate: expect.any(String) });
    expect(lane!.result.bpmConfidence).toBeLessThan(MIN_TEMPO_CONFIDENCE);
    expect(lane!.result.evidence).toMatchObject({ periodicity: expect.any(Number), pulseStrength: expect.any(Number), keyMargin: expect.any(Number), chromaContrast: expect.any(Number) });
  });

  it('leaves tempo and key out of a release track whose audio is a sine', async () => {
    const track = (await t.app.inject({ url: `/releases/${release.id}/tracks`, headers: admin })).json().data[0];
    expect(track.media).toHaveLength(1);
    expect(track.metadata).not.toHaveProperty('bpm');
    expect(track.metadata).not.toHaveProperty('key');
    expect((await t.app.inject({ url: `/asset/${track.assetId}`, headers: admin })).json().data).toMatchObject({ tempo: null, key: null });
    expect((await ws.get(`/tracks/${track.assetId}/processing-status`)).json().stages.tags.status).toBe('succeeded');
  });
});

describe.each(dialects())('analysis that withholds tempo and key keeps the values the owner set (%s)', (dialect) => {
  it('leaves a tempo and key set before processing in place when the sine has neither', async () => {
    const t = await createTestApp({ dialect });
    try {
      const token = await t.token({ role: 'admin' });
      const ws = client(t, token);
      const id = await createTrack(t, ws, makeTone({ seconds: 10, frequency: 440, name: 'Owned.wav' }));
      const set = await t.app.inject({ method: 'PUT', url: `/asset/${id}`, headers: bearer(token), payload: { tempo: 96, key: 'A Minor' } });
      expect(set.statusCode, set.body).toBe(200);
      await t.container.startWorkers();
      await t.container.queue.onIdle({ timeoutMs: 90_000 });
      expect((await ws.get(`/tracks/${id}/processing-status`)).json().stages.tags.status).toBe('succeeded');
      expect((await t.app.inject({ url: `/asset/${id}`, headers: bearer(token) })).json().data).toMatchObject({ tempo: 96, key: 'A Minor' });
      expect((await ws.get(`/tracks/${id}`)).json()).toMatchObject({ bpm: 96, musicalKey: 'A Minor' });
    } finally {
      await t.close();
    }
  }, 120_000);
});
