import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteDataVersion, type DataVersion } from '../../src/db/data-version.js';
import { createVersionedCache } from '../../src/db/versioned-cache.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SQLite data version', () => {
  let dir: string;
  let a: SQLite.Database;
  let b: SQLite.Database;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'll-dv-'));
    a = new SQLite(path.join(dir, 'db.sqlite'));
    a.pragma('journal_mode = WAL');
    a.exec('create table t (id integer primary key, v text)');
    b = new SQLite(path.join(dir, 'db.sqlite'));
  });
  afterEach(() => {
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays put across reads and moves with every write of its own connection, committed or not', () => {
    const version = sqliteDataVersion(a);
    const v0 = version();
    a.prepare('select * from t').all();
    expect(version()).toBe(v0);
    a.prepare('insert into t (v) values (?)').run('x');
    const v1 = version();
    expect(v1).not.toBe(v0);
    a.exec('begin');
    a.prepare('update t set v = ?').run('y');
    const inside = version();
    expect(inside).not.toBe(v1);
    a.exec('rollback');
    // A rolled-back write may have been seen by a reader on this connection: the version never goes back.
    expect(version()).not.toBe(v1);
  });

  it("moves when another connection commits, within the lag it allows", async () => {
    const version = sqliteDataVersion(a, 1);
    const before = version();
    b.prepare('insert into t (v) values (?)').run('from another process');
    await sleep(5);
    expect(version()).not.toBe(before);
  });

  it('answers null once the connection is closed, so callers read through', () => {
    const version = sqliteDataVersion(a);
    a.close();
    expect(version()).toBeNull();
    a = new SQLite(path.join(dir, 'db.sqlite'));
  });
});

describe('versioned cache', () => {
  const counter = () => {
    let calls = 0;
    return { load: async () => ++calls, calls: () => calls };
  };

  it('serves a hit while the version holds and reads again once it moves', async () => {
    let v = '1';
    const cache = createVersionedCache<number>(() => v);
    const c = counter();
    expect(await cache.get('k', c.load)).toBe(1);
    expect(await cache.get('k', c.load)).toBe(1);
    expect(c.calls()).toBe(1);
    v = '2';
    expect(await cache.get('k', c.load)).toBe(2);
    expect(await cache.get('k', c.load)).toBe(2);
    expect(c.calls()).toBe(2);
  });

  it('keeps an entry under the version taken before its read, so a write during the read is not hidden', async () => {
    let v = '1';
    const cache = createVersionedCache<string>(() => v);
    // The write lands while the read is in flight: the value read may predate it.
    expect(await cache.get('k', async () => ((v = '2'), 'old'))).toBe('old');
    expect(await cache.get('k', async () => 'new')).toBe('new');
  });

  it('caches misses unless told not to', async () => {
    const version: DataVersion = () => '1';
    let calls = 0;
    const misses = createVersionedCache<number | undefined>(version);
    await misses.get('k', async () => (calls++, undefined));
    await misses.get('k', async () => (calls++, undefined));
    expect(calls).toBe(1);
    const noMisses = createVersionedCache<number | undefined>(version, { cacheMisses: false });
    await noMisses.get('k', async () => (calls++, undefined));
    await noMisses.get('k', async () => (calls++, undefined));
    expect(calls).toBe(3);
  });

  it('reads through without a version, or trusts entries for the fallback time when one is given', async () => {
    const none: DataVersion = () => null;
    const through = createVersionedCache<number>(none);
    const c = counter();
    await through.get('k', c.load);
    await through.get('k', c.load);
    expect(c.calls()).toBe(2);

    const timed = createVersionedCache<number>(none, { fallbackTtlMs: 30 });
    const d = counter();
    await timed.get('k', d.load);
    await timed.get('k', d.load);
    expect(d.calls()).toBe(1);
    await sleep(40);
    await timed.get('k', d.load);
    expect(d.calls()).toBe(2);
  });

  it('serves entries younger than the grace time even after the version moved', async () => {
    let v = '1';
    const cache = createVersionedCache<number>(() => v, { graceMs: 30 });
    const c = counter();
    await cache.get('k', c.load);
    v = '2';
    expect(await cache.get('k', c.load)).toBe(1);
    expect((await cache.getMany(['k'], async () => new Map([['k', 99]]))).get('k')).toBe(1);
    await sleep(40);
    expect(await cache.get('k', c.load)).toBe(2);
    expect(c.calls()).toBe(2);
  });

  it('holds at most `max` entries, dropping the oldest first', async () => {
    const cache = createVersionedCache<string>(() => '1', { max: 2 });
    let calls = 0;
    const load = (v: string) => async () => (calls++, v);
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('c', load('c'));
    expect(calls).toBe(3);
    await cache.get('c', load('c'));
    await cache.get('b', load('b'));
    expect(calls).toBe(3);
    await cache.get('a', load('a'));
    expect(calls).toBe(4);
  });
});
