/**
 * Waveform peaks against a bare ffmpeg decode of the same file.
 * Run: npx tsx bench/peaks.ts [runs]
 * Generates a 5-minute 320 kbps stereo MP3 and a 5-minute 16-bit 44.1 kHz stereo WAV in a
 * temp dir, then prints the median time of `computePeaks` and of `ffmpeg -i file -f null -`.
 * It reports; it never fails the run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePeaks } from '../src/media/analyze.js';
import { createMediaTools, type MediaTools } from '../src/media/ffmpeg.js';
import { median, ratio, seconds, timeSeconds } from './lib/report.js';

const DURATION_SEC = 300;
const TARGETS = { mp3: 1.2, wav: 0.6 } as const;
// Reference ratios of BBC audiowaveform on comparable input; not measured here (it is not a dependency).
const AUDIOWAVEFORM_REFERENCE = { mp3: 1.56, wav: 0.64 } as const;

async function generate(tools: MediaTools, dir: string) {
  const wav = join(dir, 'five-minutes.wav');
  const mp3 = join(dir, 'five-minutes.mp3');
  const source = (seed: number) => ['-f', 'lavfi', '-i', `anoisesrc=c=pink:a=0.25:r=44100:d=${DURATION_SEC}:seed=${seed}`];
  await tools.run([
    '-nostdin', '-v', 'error', '-y', ...source(1), ...source(2),
    '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=44100:duration=${DURATION_SEC}`,
    '-filter_complex', '[0:a][1:a]amerge=inputs=2[n];[2:a]pan=stereo|c0=0.5*c0|c1=0.5*c0[s];[n][s]amix=inputs=2:normalize=0[out]',
    '-map', '[out]', '-c:a', 'pcm_s16le', '-ar', '44100', wav,
  ]);
  await tools.run(['-nostdin', '-v', 'error', '-y', '-i', wav, '-c:a', 'libmp3lame', '-b:a', '320k', mp3]);
  return { mp3, wav };
}

async function measure(tools: MediaTools, kind: keyof typeof TARGETS, file: string, runs: number) {
  const ours: number[] = [];
  const decode: number[] = [];
  // The first round warms the page cache and the JIT; it is not counted.
  for (let i = 0; i <= runs; i++) {
    const a = await timeSeconds(() => computePeaks(tools, file));
    const b = await timeSeconds(() => tools.run(['-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-']));
    if (i > 0) {
      ours.push(a);
      decode.push(b);
    }
  }
  const [mine, theirs] = [median(ours), median(decode)];
  console.log(
    `peaks ${kind}: ledgerline ${seconds(mine)}, ffmpeg decode ${seconds(theirs)}, ratio ${ratio(mine / theirs)} ` +
      `(target <= ${TARGETS[kind]}x; audiowaveform ref ${AUDIOWAVEFORM_REFERENCE[kind]}x)`,
  );
}

async function main() {
  const runs = Number(process.argv[2] ?? 7);
  const tools = await createMediaTools({ ffmpegPath: process.env.FFMPEG_PATH, searchPath: process.env.PATH });
  // Both sides lose to other processes on a shared machine, ours more (it wants both cores).
  console.log(`ffmpeg: ${tools.ffmpeg?.path} (${tools.ffmpeg?.source}); median of ${runs} runs; load average ${loadavg()[0].toFixed(1)}`);
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-bench-peaks-'));
  try {
    const files = await generate(tools, dir);
    await measure(tools, 'mp3', files.mp3, runs);
    await measure(tools, 'wav', files.wav, runs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('peaks benchmark could not run:', err);
});
