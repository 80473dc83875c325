import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCommand } from '../../../src/cli/import.command.js';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { makeTone } from '../../helpers/audio.js';
import { client } from '../workspace/workspace-api.js';

/** Runs `ledgerline import DIR --tenant NAME --process` against the test app's database. */
async function runImport(t: TestApp, dir: string, tenant: string): Promise<number> {
  const db = t.config.database;
  const env = {
    DATA_DIR: t.dataDir, JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://ledgerline.test',
    ...(db.kind === 'postgres' ? { DATABASE_URL: db.url, ...(db.schema ? { DATABASE_SCHEMA: db.schema } : {}) } : {}),
  };
  const saved = Object.fromEntries([...Object.keys(env), 'DATABASE_URL', 'DATABASE_SCHEMA'].map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  if (db.kind !== 'postgres') {
    delete process.env.DATABASE_URL;
    delete process.env.DATABASE_SCHEMA;
  }
  try {
    return await importCommand.run({ tenant, process: true }, [dir]);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe.each(dialects())('CLI import takes embedded tags (%s)', (dialect) => {
  let t: TestApp;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'll-import-'));

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    makeTone({ seconds: 1, format: 'mp3', dir, name: 'Plain Tone.mp3' });
    const source = makeTone({ seconds: 1, format: 'mp3' });
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', source, '-c', 'copy', '-id3v2_version', '3',
      '-metadata', 'title=Night Drive', '-metadata', 'artist=Lumen', '-metadata', 'album=Roads', '-metadata', 'TSRC=USRC17607839', '-metadata', 'track=3',
      path.join(dir, 'track01.mp3')], { stdio: 'pipe' });
  });
  afterAll(async () => t?.close());

  it('titles tagged files from their tags and untagged ones from their names', async () => {
    expect(await runImport(t, dir, 'cli-org')).toBe(0);
    const admin = client(t, await t.token({ tenant: 'cli-org', user: 'admin', role: 'owner' }));
    const records = (await admin.get('/tracks?sort=title_asc')).json().records;
    expect(records.map((r: { title: string }) => r.title)).toEqual(['Night Drive', 'Plain Tone']);
    expect(records[0]).toMatchObject({ title: 'Night Drive', artist: 'Lumen', isrc: 'USRC17607839', album: 'Roads', trackNumber: 3 });
    expect(records[1]).toMatchObject({ title: 'Plain Tone', artist: '' });
    expect(records[1]).not.toHaveProperty('album');
  });
});
