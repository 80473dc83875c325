import { open, type FileHandle } from 'node:fs/promises';
import { inputArgs, sniffFile } from './container-sniff.js';
import type { MediaTools } from './ffmpeg.js';
import { isMediaError, MediaError } from './media-error.js';
import { isNeedMore, parsePcmHeader, type PcmLayout } from './pcm-header.js';
import { PcmSink, type MonoChunkHandler, type PlanarChunkHandler } from './pcm-sink.js';

export interface PcmFormat {
  sampleRate: number;
  /**
   * Channels decoded before the mono mix: the source's, except when ffmpeg decodes without
   * `onChannels` being asked for, where ffmpeg mixes down itself and this is 1.
   */
  channels: number;
  /** WAVE_FORMAT_EXTENSIBLE speaker mask of the source channels, when known. */
  channelMask?: number;
}

export interface PcmInfo extends PcmFormat {
  /** Mono samples delivered, i.e. frames. */
  totalSamples: number;
}

export interface DecodeOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called once, before the first chunk. */
  onFormat?: (format: PcmFormat) => void;
  /** Per-channel samples of the same frames as each mono chunk (for per-channel loudness). */
  onChannels?: PlanarChunkHandler;
}

const HEADER_PROBE_BYTES = 64 * 1024;
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
const READ_BLOCK_BYTES = 1024 * 1024;

/**
 * Decodes a file once into mono float32 at its native rate, handing chunks to `onChunk` as they
 * arrive (arrays are reused between calls). Plain PCM WAV/AIFF is read directly; everything else
 * through one ffmpeg process piping float32 WAV.
 */
export async function decodePcm(
  tools: MediaTools,
  filePath: string,
  onChunk: MonoChunkHandler,
  options: DecodeOptions = {},
): Promise<PcmInfo> {
  return (await readPcmFile(filePath, onChunk, options)) ?? decodeWithFfmpeg(tools, filePath, onChunk, options);
}

/** A plain PCM file's layout, with the data length clamped to what the file really holds. */
export interface PcmFileLayout extends PcmLayout {
  dataBytes: number;
  frames: number;
}

/** The layout of a WAV/AIFF file that can be read without ffmpeg, else null. */
export async function readPcmFileLayout(filePath: string): Promise<PcmFileLayout | null> {
  const file = await open(filePath, 'r');
  try {
    return await pcmFileLayout(file);
  } finally {
    await file.close();
  }
}

async function readPcmFile(filePath: string, onChunk: MonoChunkHandler, options: DecodeOptions): Promise<PcmInfo | null> {
  const file = await open(filePath, 'r');
  try {
    const layout = await pcmFileLayout(file);
    if (!layout) return null;
    const sink = begin(layout, onChunk, options);
    await streamRange(file, layout.dataOffset, layout.dataBytes, layout.bytesPerFrame, sink, options.signal);
    return info(sink);
  } finally {
    await file.close();
  }
}

async function pcmFileLayout(file: FileHandle): Promise<PcmFileLayout | null> {
  const { size } = await file.stat();
  let length = Math.min(size, HEADER_PROBE_BYTES);
  for (;;) {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await file.read(buf, 0, length, 0);
    const parsed = parsePcmHeader(buf.subarray(0, bytesRead));
    if (parsed === null) return null;
    if (!isNeedMore(parsed)) {
      const available = Math.max(0, size - parsed.dataOffset);
      const declared = parsed.declaredDataBytes;
      const usable = declared === 0 || declared > available ? available : declared;
      const frames = Math.floor(usable / parsed.bytesPerFrame);
      return { ...parsed, dataBytes: frames * parsed.bytesPerFrame, frames };
    }
    if (parsed.needBytes > size || parsed.needBytes > MAX_HEADER_BYTES) return null;
    length = parsed.needBytes;
  }
}

/** Reads with two buffers so the next read is in flight while the current block is converted. */
async function streamRange(file: FileHandle, start: number, length: number, frameBytes: number, sink: PcmSink, signal?: AbortSignal) {
  const blockBytes = Math.max(frameBytes, READ_BLOCK_BYTES - (READ_BLOCK_BYTES % frameBytes));
  const buffers = [new Uint8Array(blockBytes), new Uint8Array(blockBytes)];
  const end = start + length;
  const readAt = (position: number, index: number) =>
    file.read(buffers[index], 0, Math.min(blockBytes, end - position), position);
  let position = start;
  let index = 0;
  let pending = position < end ? readAt(position, index) : null;
  while (pending) {
    const { bytesRead } = await pending;
    signal?.throwIfAborted();
    if (bytesRead === 0) break;
    const current = buffers[index];
    position += bytesRead;
    index ^= 1;
    pending = position < end ? readAt(position, index) : null;
    sink.push(current.subarray(0, bytesRead));
  }
}

async function decodeWithFfmpeg(tools: MediaTools, filePath: string, onChunk: MonoChunkHandler, options: DecodeOptions): Promise<PcmInfo> {
  // Mixing in ffmpeg halves what crosses the pipe. Its stereo downmix is (L+R)/sqrt(2) unless
  // the matrix is normalised, which makes it the mean, as when reading files directly (more
  // channels get ffmpeg's normalised downmix rather than a plain mean).
  // -flush_packets 0 makes it write full buffers instead of one small write per decoded frame.
  const mix = options.onChannels ? [] : ['-ac', '1', '-rematrix_maxval', '1'];
  const container = await sniffFile(filePath);
  const handle = tools.stream(
    ['-nostdin', '-v', 'error', ...inputArgs(container, filePath), '-map', '0:a:0', '-map_metadata', '-1', '-fflags', '+bitexact',
      ...mix, '-c:a', 'pcm_f32le', '-f', 'wav', '-flush_packets', '0', 'pipe:1'],
    { signal: options.signal, timeoutMs: options.timeoutMs },
  );
  let header: Buffer = Buffer.alloc(0);
  let sink: PcmSink | null = null;
  const consume = (chunk: Buffer) => {
    if (sink) return sink.push(chunk);
    header = header.length ? Buffer.concat([header, chunk]) : chunk;
    const parsed = parsePcmHeader(header);
    if (isNeedMore(parsed)) return;
    if (!parsed) throw new MediaError('ffmpeg_failed', 'ffmpeg produced an unexpected WAV header');
    sink = begin(parsed, onChunk, options);
    sink.push(header.subarray(parsed.dataOffset));
  };
  try {
    await new Promise<void>((resolve, reject) => {
      handle.stdout.on('data', (chunk: Buffer) => {
        try {
          consume(chunk);
        } catch (err) {
          handle.stdout.destroy();
          reject(err);
        }
      });
      handle.stdout.once('end', resolve);
      handle.stdout.once('error', reject);
    });
    await handle.done;
  } catch (err) {
    handle.kill();
    // ffmpeg itself giving up (it left stderr) means the input does not decode.
    if (isMediaError(err, 'ffmpeg_failed') && err.stderr !== undefined) {
      throw new MediaError('not_audio', 'the file could not be decoded as audio', { stderr: err.stderr, cause: err });
    }
    throw err;
  }
  if (!sink) throw new MediaError('not_audio', 'no audio could be decoded from the file');
  return info(sink);
}

function begin(layout: PcmLayout, onChunk: MonoChunkHandler, options: DecodeOptions): PcmSink {
  options.onFormat?.(format(layout));
  return new PcmSink(layout, onChunk, options.onChannels);
}

function format(layout: PcmLayout): PcmFormat {
  const { sampleRate, channels, channelMask } = layout;
  return channelMask === undefined ? { sampleRate, channels } : { sampleRate, channels, channelMask };
}

function info(sink: PcmSink): PcmInfo {
  return { ...format(sink.layout), totalSamples: sink.frames };
}
