import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ANALYSIS_RATE } from '../../src/media/analyze.js';
import { Decimator } from '../../src/media/decimator.js';
import { createMediaTools, type MediaTools } from '../../src/media/ffmpeg.js';
import { decodePcm } from '../../src/media/pcm.js';

let shared: Promise<MediaTools> | undefined;

/** Tools resolved the way the server resolves them, with the test process's PATH standing in for configuration. */
export function testMediaTools(): Promise<MediaTools> {
  shared ??= createMediaTools({ searchPath: process.env.PATH, timeoutMs: 60_000 });
  return shared;
}

export interface ScratchDir {
  dir: string;
  path(name: string): string;
  remove(): Promise<void>;
}

export async function scratchDir(prefix = 'ledgerline-media-'): Promise<ScratchDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Renders `output` with ffmpeg from lavfi sources or files: `render(tools, out, ['-f', 'lavfi', '-i', 'sine'], ['-c:a', 'aac'])`. */
export async function render(tools: MediaTools, output: string, inputArgs: string[], outputArgs: string[] = []): Promise<string> {
  await tools.run(['-nostdin', '-v', 'error', '-y', ...inputArgs, ...outputArgs, output]);
  return output;
}

/** A lavfi `aevalsrc` input for a mono expression in `t`. */
export function evalSource(expression: string, seconds: number, sampleRate = 44100): string[] {
  return ['-f', 'lavfi', '-i', `aevalsrc=${expression}:s=${sampleRate}:d=${seconds}`];
}

/** Decodes `file` and feeds the signal, decimated as analysis sees it, to the consumer made for its rate. */
export async function feedAnalysis<T extends { push(samples: Float32Array): void }>(
  tools: MediaTools,
  file: string,
  create: (sampleRate: number) => T,
): Promise<T> {
  let consumer: T | undefined;
  let decimator: Decimator | undefined;
  await decodePcm(tools, file, (samples) => decimator!.push(samples), {
    onFormat: ({ sampleRate }) => {
      decimator = new Decimator(sampleRate, ANALYSIS_RATE, (out) => consumer!.push(out));
      consumer = create(decimator.outputRate);
    },
  });
  return consumer!;
}

/** Cosine of the angle between two vectors (0 when either is all zeros): how alike two embeddings are. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in length: ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Frequency of a MIDI note number. */
export function midiHz(note: number): number {
  return 440 * 2 ** ((note - 69) / 12);
}

/** An `aevalsrc` expression playing each chord (MIDI notes, sine partials) for its seconds, in order. */
export function chordProgression(chords: Array<[notes: number[], seconds: number]>): string {
  let expression = '0';
  let end = chords.reduce((total, [, seconds]) => total + seconds, 0);
  for (let i = chords.length - 1; i >= 0; i--) {
    const [notes, seconds] = chords[i];
    end -= seconds;
    const chord = notes.map((n) => `0.2*sin(2*PI*${midiHz(n).toFixed(3)}*t)`).join('+');
    expression = `if(gte(t\\,${end})\\,${chord}\\,${expression})`;
  }
  return expression;
}

export interface MediaTestContext {
  tools: MediaTools;
  scratch: ScratchDir;
}

/** Resolves the tools and a scratch folder before a test file's tests, and removes the folder after. */
export function useMediaTestContext(): MediaTestContext {
  const context = {} as MediaTestContext;
  beforeAll(async () => {
    context.tools = await testMediaTools();
    context.scratch = await scratchDir();
  });
  afterAll(() => context.scratch.remove());
  return context;
}
