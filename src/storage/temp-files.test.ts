import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore } from './local-blob-store.js';
import { isStaleTemp, STALE_AFTER_MS, sweepStaleTemps, tempName } from './temp-files.js';

const [HOST, , NONCE] = tempName('part').split('~');
const uuid = '0b9e2a4c-1d7f-4e0a-9c11-6f1b2d3e4a5b';
/** A pid that existed a moment ago and has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid as number;
const otherNonce = NONCE === '00000000' ? '11111111' : '00000000';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerline-temps-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('temp files', () => {
  const now = Date.now();
  it('names say who writes them', () => {
    expect(tempName('part')).toMatch(new RegExp(`^${HOST}~${process.pid}~[0-9a-f]{8}~[0-9a-f-]{36}\\.part$`));
  });

  it.each([
    ['this process', () => tempName('part'), now, false],
    ['an earlier process that had our pid', () => `${HOST}~${process.pid}~${otherNonce}~${uuid}.part`, now, true],
    ['a process that has exited', () => `${HOST}~${deadPid()}~${NONCE}~${uuid}.part`, now, true],
    ['a live process on this machine', () => `${HOST}~${process.ppid}~${otherNonce}~${uuid}.part`, now, false],
    ['another machine, recent', () => `elsewhere~123~abcd1234~${uuid}.part`, now, false],
    ['another machine, a day old', () => `elsewhere~123~abcd1234~${uuid}.part`, now - STALE_AFTER_MS - 1, true],
    ['an unknown name, recent', () => `${uuid}.part`, now, false],
    ['anything a day old', () => tempName('part'), now - STALE_AFTER_MS - 1, true],
  ])('leftover of %s -> stale: %s', (_who, name, mtime, stale) => {
    expect(isStaleTemp(name(), mtime, now)).toBe(stale);
  });

  it('sweeps only the leftovers of dead writers', async () => {
    const live = tempName('part');
    const dead = `${HOST}~${deadPid()}~${NONCE}~${uuid}.part`;
    const deadMeta = `${HOST}~${process.pid}~${otherNonce}~${uuid}.meta`;
    const foreign = `elsewhere~1~abcd1234~${uuid}.part`;
    const ancient = `elsewhere~2~abcd1234~${uuid}.part`;
    for (const name of [live, dead, deadMeta, foreign, ancient]) await writeFile(join(dir, name), 'x');
    const old = (Date.now() - STALE_AFTER_MS - 60_000) / 1000;
    await utimes(join(dir, ancient), old, old);

    expect(await sweepStaleTemps(dir)).toBe(3);
    expect((await readdir(dir)).sort()).toEqual([foreign, live].sort());
    expect(await sweepStaleTemps(join(dir, 'missing'))).toBe(0);
  });

  it('are swept when a store starts over a folder a crashed writer left', async () => {
    const tmp = join(dir, 'tmp');
    await mkdir(tmp, { recursive: true });
    const leftover = join(tmp, `${HOST}~${deadPid()}~${NONCE}~${uuid}.part`);
    await writeFile(leftover, Buffer.alloc(1024));
    new LocalBlobStore({ root: dir, publicUrl: 'http://localhost', secret: 's' });
    const until = Date.now() + 2000;
    while (existsSync(leftover) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(leftover)).toBe(false);
  });
});
