import { randomBytes, randomUUID } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * In-flight writes live in tmp/ under names that say who is writing them
 * (`<host>~<pid>~<nonce>~<uuid>.<ext>`), so a process can tell which leftovers belong to a
 * writer that died (kill -9, power cut) and remove them, without touching the live writes
 * of other processes sharing the same folder (API and workers, or several replicas).
 */
const HOST = hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'host';
/** Tells this process apart from an earlier one that had the same pid (pid 1 in containers). */
const NONCE = randomBytes(4).toString('hex');
/** Past this age a leftover is stale whoever wrote it: live writes touch their file constantly. */
export const STALE_AFTER_MS = 24 * 3600 * 1000;

export function tempName(ext: 'part' | 'meta' | 'probe'): string {
  return `${HOST}~${process.pid}~${NONCE}~${randomUUID()}.${ext}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only asks whether the process exists
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function isStaleTemp(name: string, mtimeMs: number, now = Date.now()): boolean {
  if (now - mtimeMs > STALE_AFTER_MS) return true;
  const m = /^([^~]+)~(\d+)~([0-9a-f]+)~/.exec(name);
  if (!m || m[1] !== HOST) return false; // another machine: only age can tell
  const pid = Number(m[2]);
  if (pid === process.pid) return m[3] !== NONCE;
  return !isAlive(pid);
}

/** Removes leftovers of dead writers from `dir`; returns how many went. */
export async function sweepStaleTemps(dir: string, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const path = join(dir, name);
    const st = await lstat(path).catch(() => null);
    if (!st || !isStaleTemp(name, st.mtimeMs, now)) continue;
    await rm(path, { recursive: true, force: true }).then(() => removed++, () => undefined);
  }
  return removed;
}
