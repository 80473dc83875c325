import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'll-cfg-'));

describe('config', () => {
  it('defaults to the embedded mode', () => {
    const dir = tmp();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.port).toBe(8080);
    expect(c.database).toEqual({ kind: 'sqlite', file: path.join(dir, 'ledgerline.db') });
    expect(c.runMode).toBe('all');
    expect(c.webhooks.allowPrivate).toBe(false);
    expect(c.jwt.secretSource).toBe('generated');
    // the generated secret is kept and reused
    const again = loadConfig({ DATA_DIR: dir });
    expect(again.jwt.secret).toBe(c.jwt.secret);
    expect(again.jwt.secretSource).toBe('file');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ RUN_MODE: 'both' }, 'RUN_MODE'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ STORAGE_URL: 'ftp://x' }, 'STORAGE_URL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ GS1_PREFIX: '12ab' }, 'GS1_PREFIX'],
    [{ WEBHOOK_ALLOW_PRIVATE: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE'],
    [{ REMOTE_WORKER_URL: 'http://127.0.0.1:9' }, 'REMOTE_WORKER_SECRET'],
  ])('rejects %o naming %s', (env, name) => {
    let caught: unknown;
    try {
      loadConfig({ DATA_DIR: tmp(), ...env });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toContain(name);
  });

  it('lets webhooks reach private addresses only when told to', () => {
    expect(loadConfig({ DATA_DIR: tmp(), WEBHOOK_ALLOW_PRIVATE: 'true' }).webhooks.allowPrivate).toBe(true);
    expect(loadConfig({ DATA_DIR: tmp(), WEBHOOK_ALLOW_PRIVATE: 'false' }).webhooks.allowPrivate).toBe(false);
  });

  it('requires JWT_SECRET with PostgreSQL, where processes share it', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), DATABASE_URL: 'postgres://127.0.0.1/test' })).toThrow(/JWT_SECRET/);
    const c = loadConfig({ DATA_DIR: tmp(), DATABASE_URL: 'postgres://u:p@127.0.0.1/test', JWT_SECRET: 'x'.repeat(40) });
    expect(c.database.kind).toBe('postgres');
  });

  it('parses playback codecs and strips a trailing slash from PUBLIC_URL', () => {
    const c = loadConfig({ DATA_DIR: tmp(), PLAYBACK_CODECS: 'opus:96,mp3', PUBLIC_URL: 'https://music.example.com/' });
    expect(c.media.playbackCodecs).toEqual([
      { codec: 'opus', bitrateKbps: 96 },
      { codec: 'mp3', bitrateKbps: 128 },
    ]);
    expect(c.publicUrl).toBe('https://music.example.com');
  });
});
