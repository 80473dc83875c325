/**
 * 20 five-minute tracks through every local lane (probe, waveform, tags, embeddings, playback
 * transcodes) with the default concurrency: tracks per minute, and the share of CPU time spent
 * in ffmpeg child processes (from /proc: children's user+system time vs our own).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fiveMinuteMp3 } from './lib/five-minute-mp3.js';
import { printLine, realApp } from './lib/http.js';

const TRACKS = Number(process.env.BENCH_TRACKS ?? 20);
const SECONDS = 300;

function cpuSeconds(): { self: number; children: number } {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const tick = 100; // USER_HZ on Linux
  return { self: (Number(fields[11]) + Number(fields[12])) / tick, children: (Number(fields[13]) + Number(fields[14])) / tick };
}

const { bytes } = fiveMinuteMp3(SECONDS);

const bench = await realApp();
try {
  const c = bench.container;
  const tenant = await c.services.identity.createTenant({ name: 'bench' });
  for (let i = 0; i < TRACKS; i++) {
    const intent = await c.services.uploads.createIntent({
      tenantId: tenant.id, ownerUserId: null, kind: 'audio', fileName: `track-${i}.mp3`, contentType: 'audio/mpeg', byteSize: bytes.length, track: { create: { title: `Track ${i}` } },
    });
    await c.store.put(intent.asset.storageKey, bytes, { contentType: 'audio/mpeg' });
    await c.services.uploads.finalize(tenant.id, intent.upload.id);
  }
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  await c.startWorkers();
  await c.queue.onIdle({ timeoutMs: 60 * 60_000 });
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds();
  const failed = await c.db.selectFrom('processingLanes').select(['lane', 'status']).where('status', '=', 'failed').execute();
  const self = cpu1.self - cpu0.self;
  const children = cpu1.children - cpu0.children;
  printLine(`pipeline (${TRACKS} x 5-minute 320k MP3, concurrency ${c.config.jobConcurrency})`, {
    'wall s': wall.toFixed(1),
    'tracks/minute': ((TRACKS / wall) * 60).toFixed(1),
    'ffmpeg share of CPU': `${((children / (self + children)) * 100).toFixed(0)}%`,
    'CPU s ffmpeg/node': `${children.toFixed(1)}/${self.toFixed(1)}`,
    'failed lanes': failed.length,
    load: os.loadavg()[0].toFixed(1),
  });
} finally {
  await bench.close();
}
