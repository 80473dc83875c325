import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { injectPath, makeTone } from '../../helpers/audio.js';
import { startS3rver, type RunningS3rver } from '../../helpers/s3rver.js';
import { uploadAudio } from '../../helpers/uploads.js';
import { laneJobKey } from '../../../src/services/processing.service.js';

type Setup = { name: string; dialect: 'sqlite' | 'postgres'; s3: boolean };
const setups: Setup[] = dialects().flatMap((d): Setup[] => (d === 'postgres' ? [{ name: 'postgres + s3', dialect: d, s3: true }] : [{ name: 'sqlite + local', dialect: d, s3: false }, { name: 'sqlite + s3', dialect: d, s3: true }]));

describe.each(setups)('processing pipeline ($name)', ({ dialect, s3 }) => {
  let t: TestApp;
  let s3rver: RunningS3rver | undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'll-pipe-'));
  beforeAll(async () => {
    if (s3) s3rver = await startS3rver();
    t = await createTestApp({ dialect, env: s3rver ? { STORAGE_URL: s3rver.storageUrl } : {} });
    await t.container.startWorkers();
  });
  afterAll(async () => {
    await t?.close();
    await s3rver?.close();
  });

  it('takes an upload to ready: probe, waveform, playback, tags, embeddings', async () => {
    const file = makeTone({ seconds: 3, format: 'mp3', dir });
    const { tenant, trackId } = await uploadAudio(t, file);
    await t.container.queue.onIdle({ timeoutMs: 90_000 });
    const status = await t.container.services.processing.status(tenant.id, trackId);
    expect(status.stages.probe.status).toBe('succeeded');
    expect(status.stages.waveform.status).toBe('succeeded');
    expect(status.stages.playback.status).toBe('succeeded');
    expect(status.stages.tags.status).toBe('succeeded');
    expect(status.stages.embeddings.status).toBe('succeeded');
    expect(status.stages.lyrics.status).toBe('not_configured');
    expect(status.stages.stems.status).toBe('not_configured');
    expect(status.readiness.ready).toBe(true);

    const track = (await t.container.repos.tracks.find(tenant.id, trackId))!;
    expect(track.durationMs).toBeGreaterThan(2900);
    expect(track.durationMs).toBeLessThan(3200);
    const wave = await t.container.services.trackMedia.waveform(track);
    expect(wave!.overview).toMatchObject({ version: 2, channels: 1, bits: 8, length: 320 });
    expect(wave!.overview.data).toHaveLength(640);
    expect(wave!.levels.map((l) => l.samplesPerPixel)).toContain(256);
    const fine = await t.container.services.trackMedia.readJson<{ samples_per_pixel: number; data: number[] }>(wave!.levels[0].storageKey);
    expect(fine.samples_per_pixel).toBe(256);
    expect(fine.data.some((v) => v !== 0)).toBe(true);

    const renditions = await t.container.services.trackMedia.renditions(track);
    expect(renditions.map((r) => r.codec).sort()).toEqual(['aac', 'mp3']);
    const playback = await t.container.services.trackMedia.playbackUrl(track, 'mp3');
    const bytes = s3
      ? Buffer.from(await (await fetch(playback!.url)).arrayBuffer())
      : (await t.app.inject({ url: injectPath(playback!.url) })).rawPayload;
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)).toBe(true);

    const embedding = await t.container.repos.processing.findEmbedding(track.currentVersionId ? (await t.container.repos.tracks.findVersion(trackId, track.currentVersionId))!.assetId : '');
    expect(embedding?.dims).toBeGreaterThan(8);
  });

  it('a probe job run again after its downstream work is done (a crash before the job was marked done) leaves that work alone', async () => {
    const file = makeTone({ seconds: 2, format: 'mp3', dir });
    const { tenant, trackId } = await uploadAudio(t, file);
    await t.container.queue.onIdle({ timeoutMs: 90_000 });
    const track = (await t.container.repos.tracks.find(tenant.id, trackId))!;
    const assetId = (await t.container.repos.tracks.findVersion(trackId, track.currentVersionId!))!.assetId;
    const writes: string[] = [];
    t.container.services.processing.onLaneWritten(async (w) => {
      if (w.assetId === assetId) writes.push(`${w.lane}:${w.status}`);
    });
    await t.container.queue.enqueue('lane.probe', { tenantId: tenant.id, trackId, assetId }, { singletonKey: `${assetId}:again` });
    await t.container.queue.onIdle({ timeoutMs: 90_000 });
    expect(writes).toEqual(['probe:running', 'probe:succeeded']);
    expect((await t.container.services.processing.status(tenant.id, trackId)).readiness.ready).toBe(true);
  });

  it('fails the probe of a file that is not audio, without retrying, and skips the rest', async () => {
    const fake = path.join(dir, 'notes.mp3');
    writeFileSync(fake, 'These are my lyrics, not audio.\n'.repeat(200));
    const { tenant, trackId } = await uploadAudio(t, fake);
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    const status = await t.container.services.processing.status(tenant.id, trackId);
    expect(status.stages.probe.status).toBe('failed');
    expect(status.stages.probe.attempts).toBe(1);
    expect(status.stages.probe.error).toMatch(/audio/i);
    expect(status.stages.playback.status).toBe('skipped');
    expect(status.readiness.ready).toBe(false);
    expect(status.readiness.state).toBe('failed');
  });

  it('fails random bytes and handles a truncated file', async () => {
    const junk = path.join(dir, 'junk.wav');
    writeFileSync(junk, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256)));
    const junkUp = await uploadAudio(t, junk);
    const full = readFileSync(makeTone({ seconds: 4, format: 'mp3', dir, name: 'whole.mp3' }));
    const cut = path.join(dir, 'cut.mp3');
    writeFileSync(cut, full.subarray(0, Math.floor(full.length / 2)));
    const cutUp = await uploadAudio(t, cut);
    await t.container.queue.onIdle({ timeoutMs: 60_000 });
    const junkStatus = await t.container.services.processing.status(junkUp.tenant.id, junkUp.trackId);
    expect(junkStatus.stages.probe.status).toBe('failed');
    const cutStatus = await t.container.services.processing.status(cutUp.tenant.id, cutUp.trackId);
    // Half an MP3 is still decodable audio: it plays, just shorter.
    expect(cutStatus.stages.probe.status).toBe('succeeded');
    expect(cutStatus.readiness.playable).toBe(true);
  });

  it('refuses to finalize twice or before the bytes exist', async () => {
    const { tenant, intent } = await uploadAudio(t, makeTone({ seconds: 1, dir, name: 'twice.wav' }));
    await expect(t.container.services.uploads.finalize(tenant.id, intent.upload.id)).rejects.toMatchObject({ status: 409, code: 'upload_already_finalized' });
    const empty = await t.container.services.uploads.createIntent({
      tenantId: tenant.id, ownerUserId: null, kind: 'audio', fileName: 'later.wav', contentType: 'audio/wav', byteSize: 1000, track: { create: { title: 'later' } },
    });
    await expect(t.container.services.uploads.finalize(tenant.id, empty.upload.id)).rejects.toMatchObject({ status: 409, code: 'upload_incomplete' });
  });

  it('sweeps expired intents with their track and partial object', async () => {
    // An app of its own without workers: the background sweeper of `t` would race this sweep for the intent.
    const own = await createTestApp({ dialect, env: s3rver ? { STORAGE_URL: s3rver.storageUrl } : {} });
    try {
      const tenant = await own.container.services.identity.createTenant({ name: 'acme' });
      const intent = await own.container.services.uploads.createIntent({
        tenantId: tenant.id, ownerUserId: null, kind: 'audio', fileName: 'gone.wav', contentType: 'audio/wav', byteSize: 10, track: { create: { title: 'gone' } }, ttlSeconds: 1,
      });
      await new Promise((r) => setTimeout(r, 1100));
      expect(await own.container.services.uploads.sweepExpired()).toBeGreaterThanOrEqual(1);
      expect(await own.container.repos.tracks.find(tenant.id, intent.track!.id)).toBeUndefined();
      expect(await own.container.repos.assets.find(tenant.id, intent.asset.id)).toBeUndefined();
      expect((await own.container.repos.assets.findUpload(tenant.id, intent.upload.id))?.status).toBe('expired');
    } finally {
      await own.close();
    }
  });

  it('rejects undeclared content types and oversize declarations at intent time', async () => {
    const tenant = (await t.container.repos.tenants.findByName('acme'))!;
    const base = { tenantId: tenant.id, ownerUserId: null, fileName: 'x', track: { create: { title: 'x' } } };
    await expect(t.container.services.uploads.createIntent({ ...base, kind: 'audio', contentType: 'text/html', byteSize: 10 })).rejects.toMatchObject({ code: 'unsupported_content_type' });
    await expect(t.container.services.uploads.createIntent({ ...base, kind: 'artwork', contentType: 'image/png', byteSize: 21 * 1024 * 1024 })).rejects.toMatchObject({ code: 'invalid_byte_size' });
  });
});

describe('processing recovery after a crash (sqlite, no workers running)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('queues no lane job a second time next to the one the probe already queued', async () => {
    const { tenant, trackId, finalized } = await uploadAudio(t, makeTone({ seconds: 1, format: 'wav' }));
    const assetId = finalized!.asset.id;
    const key = { tenantId: tenant.id, trackId, assetId };
    // As the process left it: the probe done and its downstream jobs queued, nothing else run.
    await t.container.repos.processing.upsertLane({ ...key, lane: 'probe' }, { status: 'succeeded', finishedAt: new Date().toISOString() });
    await t.container.db.deleteFrom('jobs').execute();
    for (const job of ['lane.analyze', 'lane.playback', 'lane.lyrics', 'lane.stems'] as const) {
      await t.container.queue.enqueue(job, key, { singletonKey: laneJobKey(assetId) });
    }
    expect(await t.container.services.processing.recoverUnfinished()).toBe(1);
    const jobs = await t.container.db.selectFrom('jobs').select('name').where('status', '=', 'queued').execute();
    expect(jobs.map((j) => j.name).sort()).toEqual(['lane.analyze', 'lane.lyrics', 'lane.playback', 'lane.stems']);
  });
});
