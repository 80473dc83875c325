/**
 * One five-minute 320k MP3 from finalize to `ready` through every local lane, against its floor:
 * one ffmpeg decode of the file (as analysis decodes it) plus each configured playback
 * transcode (PLAYBACK_CODECS), run alone and back to back with the ffmpeg CLI, in the same run.
 * Target: pipeline <= 1.3x the floor. Each side is the median of BENCH_ROUNDS runs (default 3).
 * Run: npx tsx bench/pipeline-floor.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODECS } from '../src/media/transcode.js';
import { fiveMinuteMp3 } from './lib/five-minute-mp3.js';
import { printLine, realApp } from './lib/http.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const { file, bytes } = fiveMinuteMp3();
const out = mkdtempSync(path.join(os.tmpdir(), 'll-floor-'));

const bench = await realApp();
try {
  const c = bench.container;
  const codecs = c.config.media.playbackCodecs;
  const timed = (args: string[]) => {
    const t0 = performance.now();
    execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args], { stdio: 'ignore' });
    return performance.now() - t0;
  };
  const floorOnce = () => {
    const decode = timed(['-i', file, '-map', '0:a:0', '-ac', '1', '-c:a', 'pcm_f32le', '-f', 'wav', os.devNull]);
    const transcodes = codecs.map(({ codec, bitrateKbps }) =>
      timed(['-i', file, '-map', '0:a:0', '-map_metadata', '-1', '-b:a', `${bitrateKbps}k`, ...CODECS[codec].args, path.join(out, `floor.${CODECS[codec].extension}`)]),
    );
    return { decode, transcodes, total: decode + transcodes.reduce((a, b) => a + b, 0) };
  };

  const tenant = await c.services.identity.createTenant({ name: 'bench' });
  await c.startWorkers();
  const pipelineOnce = async (i: number) => {
    const intent = await c.services.uploads.createIntent({
      tenantId: tenant.id, ownerUserId: null, kind: 'audio', fileName: `floor-${i}.mp3`, contentType: 'audio/mpeg', byteSize: bytes.length, track: { create: { title: `Floor ${i}` } },
    });
    await c.store.put(intent.asset.storageKey, bytes, { contentType: 'audio/mpeg' });
    const t0 = performance.now();
    await c.services.uploads.finalize(tenant.id, intent.upload.id);
    const trackId = intent.upload.trackId!;
    for (;;) {
      const status = await c.services.processing.status(tenant.id, trackId);
      if (status.readiness.ready) return performance.now() - t0;
      if (status.readiness.state === 'failed') throw new Error(`track ${trackId} failed: ${JSON.stringify(status.stages)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  floorOnce(); // warm the page cache and ffmpeg's libraries
  const floors: ReturnType<typeof floorOnce>[] = [];
  const pipelines: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    floors.push(floorOnce());
    pipelines.push(await pipelineOnce(i));
    await c.queue.onIdle({ timeoutMs: 10 * 60_000 });
  }
  const floor = median(floors.map((f) => f.total));
  const pipeline = median(pipelines);
  printLine('pipeline-floor one 5-minute 320k MP3, finalize to ready', {
    'pipeline ms': pipeline.toFixed(0),
    'floor ms': floor.toFixed(0),
    ratio: (pipeline / floor).toFixed(2),
    target: '<= 1.30',
    'floor parts ms': `decode ${median(floors.map((f) => f.decode)).toFixed(0)} + ${codecs.map((k, j) => `${k.codec}:${k.bitrateKbps} ${median(floors.map((f) => f.transcodes[j])).toFixed(0)}`).join(' + ')}`,
    rounds: pipelines.map((p, j) => (p / floors[j].total).toFixed(2)).join('/'),
    'job concurrency': c.config.jobConcurrency,
    cores: os.cpus().length,
    load: os.loadavg()[0].toFixed(1),
  });
} finally {
  await bench.close();
}
