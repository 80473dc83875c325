import { spawn, type ChildProcess } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import { MediaError } from './media-error.js';

export type BinarySource = 'explicit' | 'path' | 'npm';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

export interface MediaToolsOptions {
  ffmpegPath?: string;
  ffprobePath?: string;
  /** The PATH string to search (entries joined by the platform delimiter); no PATH lookup when absent. */
  searchPath?: string;
  /** Default limit for every child process; a call may override it. */
  timeoutMs?: number;
}

export interface RunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  stdin?: Buffer | Readable;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

export interface StreamHandle {
  stdout: Readable;
  /** Settles when the process exits; rejects with a MediaError unless it exited with 0. */
  done: Promise<{ stderr: string }>;
  kill(): void;
}

export interface MediaTools {
  readonly ffmpeg: ResolvedBinary | null;
  readonly ffprobe: ResolvedBinary | null;
  /** Runs ffmpeg and buffers stdout: for small outputs only. */
  run(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Runs ffprobe and buffers stdout. */
  runProbe(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Runs ffmpeg with stdout left as a stream for the caller to consume. */
  stream(args: readonly string[], options?: RunOptions): StreamHandle;
  /** Kills every child still running (shutdown). */
  killAll(): void;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const STDERR_TAIL_BYTES = 4096;

export async function createMediaTools(options: MediaToolsOptions = {}): Promise<MediaTools> {
  const [ffmpeg, ffprobe] = await Promise.all([
    resolveBinary('ffmpeg', options.ffmpegPath, options.searchPath, '@ffmpeg-installer/ffmpeg'),
    resolveBinary('ffprobe', options.ffprobePath, options.searchPath, '@ffprobe-installer/ffprobe'),
  ]);
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const running = new Map<ChildProcess, () => void>();

  function start(name: 'ffmpeg' | 'ffprobe', binary: ResolvedBinary | null, args: readonly string[], opts: RunOptions) {
    if (!binary) throw new MediaError('ffmpeg_not_found', `${name} is not available: no configured path, none on PATH, no npm fallback`);
    const child = spawn(binary.path, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    let stderr = Buffer.alloc(0);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_TAIL_BYTES * 2) stderr = stderr.subarray(stderr.length - STDERR_TAIL_BYTES);
    });
    const tail = () => stderr.subarray(Math.max(0, stderr.length - STDERR_TAIL_BYTES)).toString('utf8');

    // ffmpeg may exit before reading all of stdin (e.g. it only needed the header).
    child.stdin!.on('error', () => {});
    if (opts.stdin === undefined) child.stdin!.end();
    else if (Buffer.isBuffer(opts.stdin)) child.stdin!.end(opts.stdin);
    else opts.stdin.pipe(child.stdin!);

    let stopReason: MediaError | undefined;
    const stop = (reason: MediaError) => {
      stopReason ??= reason;
      child.kill('SIGKILL');
    };
    const timeoutMs = opts.timeoutMs ?? defaultTimeout;
    const timer = setTimeout(() => stop(new MediaError('ffmpeg_timeout', `${name} did not finish within ${timeoutMs} ms`, { stderr: tail() })), timeoutMs);
    const onAbort = () => stop(new MediaError('ffmpeg_aborted', `${name} was aborted`, { stderr: tail() }));
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    const done = new Promise<{ stderr: string }>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        running.delete(child);
      };
      child.once('error', (err: NodeJS.ErrnoException) => {
        settle();
        reject(err.code === 'ENOENT'
          ? new MediaError('ffmpeg_not_found', `${name} not found at ${binary.path}`, { cause: err })
          : new MediaError('ffmpeg_failed', `${name} could not start: ${err.message}`, { cause: err }));
      });
      child.once('close', (code, signal) => {
        settle();
        if (stopReason) return reject(stopReason);
        if (code === 0) return resolve({ stderr: tail() });
        const text = tail();
        const lastLine = text.trim().split('\n').pop() ?? '';
        const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(new MediaError('ffmpeg_failed', `${name} ${how}${lastLine ? `: ${lastLine}` : ''}`, { stderr: text }));
      });
    });
    // Callers may only look at `done` after consuming stdout; avoid an unhandled rejection meanwhile.
    done.catch(() => {});
    const kill = () => stop(new MediaError('ffmpeg_aborted', `${name} was stopped`, { stderr: tail() }));
    running.set(child, kill);
    return { child, done, kill };
  }

  async function buffered(name: 'ffmpeg' | 'ffprobe', binary: ResolvedBinary | null, args: readonly string[], opts: RunOptions = {}) {
    const { child, done } = start(name, binary, args, opts);
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
    const { stderr } = await done;
    return { stdout: Buffer.concat(chunks), stderr };
  }

  return {
    ffmpeg,
    ffprobe,
    run: (args, opts) => buffered('ffmpeg', ffmpeg, args, opts),
    runProbe: (args, opts) => buffered('ffprobe', ffprobe, args, opts),
    stream(args, opts = {}) {
      const { child, done, kill } = start('ffmpeg', ffmpeg, args, opts);
      return { stdout: child.stdout!, done, kill };
    },
    killAll() {
      for (const kill of running.values()) kill();
    },
  };
}

async function resolveBinary(
  name: string,
  explicitPath: string | undefined,
  searchPath: string | undefined,
  npmPackage: string,
): Promise<ResolvedBinary | null> {
  if (explicitPath) {
    if (!(await isExecutable(explicitPath))) {
      throw new MediaError('ffmpeg_not_found', `configured ${name} path ${explicitPath} is not an executable file`);
    }
    return { path: explicitPath, source: 'explicit' };
  }
  const fileName = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (searchPath ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, fileName);
    if (await isExecutable(candidate)) return { path: candidate, source: 'path' };
  }
  const fromNpm = await npmBinaryPath(npmPackage);
  return fromNpm ? { path: fromNpm, source: 'npm' } : null;
}

/** The installer packages are optional dependencies; they may be missing or throw for an unsupported platform. */
async function npmBinaryPath(specifier: string): Promise<string | null> {
  try {
    const mod: unknown = await import(specifier);
    const exported = (mod as { default?: { path?: unknown } }).default;
    const path = exported?.path;
    return typeof path === 'string' && (await isExecutable(path)) ? path : null;
  } catch {
    return null;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
