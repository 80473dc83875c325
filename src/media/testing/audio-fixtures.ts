import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMediaTools, type MediaTools } from '../ffmpeg.js';

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
