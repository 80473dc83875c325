import { rm } from 'node:fs/promises';
import { inputArgs, sniffFile } from './container-sniff.js';
import type { MediaTools, RunOptions } from './ffmpeg.js';
import { isMediaError } from './media-error.js';
import { probeAudio } from './probe.js';

export type PlaybackCodec = 'aac' | 'mp3' | 'ogg' | 'opus';

export interface TranscodeOptions {
  codec: PlaybackCodec;
  bitrateKbps: number;
  channels?: number;
  sampleRate?: number;
  /** Preview clips: where to start and how long to run; clips get short fades. */
  startSec?: number;
  durationSec?: number;
}

export interface TranscodeResult {
  output: string;
  mimeType: string;
  extension: string;
  fileSize: number;
  durationMs: number;
}

interface CodecSpec {
  args: string[];
  mimeType: string;
  extension: string;
}

// Every target is streamable as written: MP4 with the index up front, the rest by nature.
export const CODECS: Record<PlaybackCodec, CodecSpec> = {
  aac: { args: ['-c:a', 'aac', '-f', 'mp4', '-movflags', '+faststart'], mimeType: 'audio/mp4', extension: 'm4a' },
  mp3: { args: ['-c:a', 'libmp3lame', '-f', 'mp3', '-id3v2_version', '3'], mimeType: 'audio/mpeg', extension: 'mp3' },
  ogg: { args: ['-c:a', 'libvorbis', '-f', 'ogg'], mimeType: 'audio/ogg', extension: 'ogg' },
  opus: { args: ['-c:a', 'libopus', '-f', 'ogg'], mimeType: 'audio/ogg', extension: 'opus' },
};

const MAX_FADE_SEC = 0.5;

/** Encodes `input` into `output` (overwritten); a failed run leaves no partial file. */
export async function transcode(
  tools: MediaTools,
  input: string,
  output: string,
  options: TranscodeOptions,
  run: Pick<RunOptions, 'signal' | 'timeoutMs'> = {},
): Promise<TranscodeResult> {
  const spec = CODECS[options.codec];
  if (!spec) throw new RangeError(`unsupported codec ${String(options.codec)}`);
  if (!(options.bitrateKbps > 0)) throw new RangeError('bitrateKbps must be positive');

  const seek = options.startSec ? ['-ss', String(options.startSec)] : [];
  const limit = options.durationSec ? ['-t', String(options.durationSec)] : [];
  const fades = previewFades(options);
  const container = await sniffFile(input);
  const args = [
    '-nostdin', '-v', 'error', '-y', ...seek, ...limit, ...inputArgs(container, input),
    '-map', '0:a:0', '-map_metadata', '-1',
    ...(fades ? ['-af', fades] : []),
    ...(options.channels ? ['-ac', String(options.channels)] : []),
    ...(options.sampleRate ? ['-ar', String(options.sampleRate)] : []),
    '-b:a', `${options.bitrateKbps}k`,
    ...spec.args,
    output,
  ];
  try {
    await tools.run(args, run);
  } catch (err) {
    await rm(output, { force: true });
    // Undecodable input is the usual cause and no retry fixes it; say so when it is the case.
    if (isMediaError(err, 'ffmpeg_failed')) await probeAudio(tools, input);
    throw err;
  }
  const probe = await probeAudio(tools, output);
  return { output, mimeType: spec.mimeType, extension: spec.extension, fileSize: probe.fileSize, durationMs: probe.durationMs };
}

/** A clip cut out of a track fades in and out so it neither clicks nor stops dead. */
function previewFades({ startSec, durationSec }: TranscodeOptions): string | null {
  if (!startSec && !durationSec) return null;
  const filters: string[] = [];
  const fade = durationSec ? Math.min(MAX_FADE_SEC, durationSec / 4) : MAX_FADE_SEC;
  if (startSec) filters.push(`afade=t=in:st=0:d=${fade}`);
  if (durationSec) filters.push(`afade=t=out:st=${Math.max(0, durationSec - fade)}:d=${fade}`);
  return filters.join(',');
}
