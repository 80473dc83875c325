import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createMediaTools } from './ffmpeg.js';
import { MediaError } from './media-error.js';
import { useMediaTestContext } from '../../test/helpers/media-fixtures.js';

const media = useMediaTestContext();

describe('binary resolution', () => {
  it('finds ffmpeg and ffprobe on the search path and says so', async () => {
    const bin = media.scratch.path('bin');
    await mkdir(bin);
    await symlink(media.tools.ffmpeg!.path, `${bin}/ffmpeg`);
    await symlink(media.tools.ffprobe!.path, `${bin}/ffprobe`);
    const found = await createMediaTools({ searchPath: `/nonexistent:${bin}` });
    expect(found.ffmpeg).toEqual({ path: `${bin}/ffmpeg`, source: 'path' });
    expect(found.ffprobe).toEqual({ path: `${bin}/ffprobe`, source: 'path' });
  });

  it('prefers an explicit path and rejects one that is not executable', async () => {
    const explicit = await createMediaTools({ ffmpegPath: media.tools.ffmpeg!.path, searchPath: '' });
    expect(explicit.ffmpeg?.source).toBe('explicit');
    const notExecutable = media.scratch.path('fake-ffmpeg');
    await writeFile(notExecutable, '#!/bin/sh\n');
    await chmod(notExecutable, 0o644);
    await expect(createMediaTools({ ffmpegPath: notExecutable })).rejects.toMatchObject({ code: 'ffmpeg_not_found' });
  });

  it('falls back to the npm-shipped binaries when nothing is on the path', async () => {
    const fallback = await createMediaTools({ searchPath: media.scratch.path('empty') });
    expect(fallback.ffmpeg?.source).toBe('npm');
    expect(fallback.ffprobe?.source).toBe('npm');
    const { stdout } = await fallback.runProbe(['-version']);
    expect(stdout.toString()).toContain('ffprobe version');
  });
});

describe('running', () => {
  it('captures stdout of a successful run', async () => {
    const { stdout } = await media.tools.run(['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=0.1', '-f', 's16le', '-ac', '1', '-']);
    expect(stdout.length).toBe(4410 * 2);
  });

  it('turns a failure into ffmpeg_failed carrying the stderr tail', async () => {
    const err = await media.tools.run(['-i', media.scratch.path('missing.wav'), '-f', 'null', '-']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect(err).toMatchObject({ code: 'ffmpeg_failed', status: 500 });
    expect((err as MediaError).stderr).toContain('No such file or directory');
    expect((err as MediaError).message).toContain('No such file or directory');
  });

  it('kills a child that outlives its timeout', async () => {
    const started = Date.now();
    const err = await media.tools.run(['-re', '-f', 'lavfi', '-i', 'sine=duration=30', '-f', 'null', '-'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ffmpeg_timeout' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops on abort and on killAll', async () => {
    const controller = new AbortController();
    const aborted = media.tools.run(['-re', '-f', 'lavfi', '-i', 'sine=duration=30', '-f', 'null', '-'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(aborted).rejects.toMatchObject({ code: 'ffmpeg_aborted' });

    const own = await createMediaTools({ ffmpegPath: media.tools.ffmpeg!.path });
    const first = own.run(['-re', '-f', 'lavfi', '-i', 'sine=duration=30', '-f', 'null', '-']);
    const second = own.stream(['-re', '-f', 'lavfi', '-i', 'sine=duration=30', '-f', 's16le', '-']);
    second.stdout.resume();
    setTimeout(() => own.killAll(), 100);
    await expect(first).rejects.toMatchObject({ code: 'ffmpeg_aborted' });
    await expect(second.done).rejects.toMatchObject({ code: 'ffmpeg_aborted' });
  });

  it('streams stdout and feeds stdin', async () => {
    const silence = Buffer.alloc(8000 * 2);
    const handle = media.tools.stream(['-v', 'error', '-f', 's16le', '-ar', '8000', '-ac', '1', '-i', 'pipe:0', '-f', 'u8', '-'], { stdin: silence });
    const chunks: Buffer[] = [];
    handle.stdout.on('data', (c: Buffer) => chunks.push(c));
    await handle.done;
    const out = Buffer.concat(chunks);
    expect(out.length).toBe(8000);
    expect(out.every((byte) => byte === 0x80)).toBe(true);
  });
});
