import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createContainer, type Container } from '../../../src/container.js';
import { makeTone } from '../../helpers/audio.js';
import { freePort, startServer, type ServerProcess } from '../../helpers/server-process.js';

/**
 * kill -9 of the server during an upload and during processing, then a restart: every finalized
 * upload reaches a terminal state, nothing is lost or duplicated, no partial object is left.
 */
describe('crash recovery (embedded mode, real process, SIGKILL)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'll-crash-'));
  let port: number;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let c: Container;

  beforeAll(async () => {
    port = await freePort();
    env = { DATA_DIR: dataDir, PUBLIC_URL: `http://127.0.0.1:${port}`, JWT_SECRET: 'crash-secret-crash-secret-crash-secret-01', JOB_LEASE_SECONDS: '2', JOB_CONCURRENCY: '1' };
    // The test process shares the SQLite file (WAL) to create intents and read state; it works no jobs.
    c = await createContainer(loadConfig({ ...env, LOG_LEVEL: 'silent', PATH: process.env.PATH ?? '' }));
  });
  afterAll(async () => {
    await server?.kill();
    await c?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const terminal = (s: string) => ['succeeded', 'failed', 'skipped', 'not_configured'].includes(s);

  it('finishes processing that a killed server left half done', async () => {
    server = await startServer(env, port);
    const tenant = await c.services.identity.ensureTenant('acme');
    const file = makeTone({ seconds: 30, format: 'wav' });
    const bytes = readFileSync(file);
    const intent = await c.services.uploads.createIntent({
      tenantId: tenant.id, ownerUserId: null, kind: 'audio', fileName: 'long.wav', contentType: 'audio/wav', byteSize: bytes.length, track: { create: { title: 'long' } },
    });
    const put = await fetch(intent.signed.url, { method: 'PUT', headers: intent.signed.headers, body: bytes });
    expect(put.status).toBe(200);
    await c.services.uploads.finalize(tenant.id, intent.upload.id);
    const trackId = intent.track!.id;

    // Wait until the server is in the middle of the work, then kill it without warning.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const lanes = await c.repos.processing.lanesForTrack(trackId);
      if (lanes.some((l) => l.status === 'running' && l.lane !== 'probe')) break;
      if (Date.now() > deadline) throw new Error(`no lane started: ${JSON.stringify(lanes.map((l) => [l.lane, l.status]))}\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await server.kill('SIGKILL');
    const midway = await c.repos.processing.lanesForTrack(trackId);
    expect(midway.some((l) => !terminal(l.status))).toBe(true);

    server = await startServer(env, port);
    const done = Date.now() + 90_000;
    let status = await c.services.processing.status(tenant.id, trackId);
    while (Object.values(status.stages).some((s) => !terminal(s.status))) {
      if (Date.now() > done) throw new Error(`lanes did not finish: ${JSON.stringify(status.stages)}\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 200));
      status = await c.services.processing.status(tenant.id, trackId);
    }
    expect(status.readiness.ready).toBe(true);
    const versions = await c.repos.tracks.listVersions(trackId);
    expect(versions).toHaveLength(1);
    const track = (await c.repos.tracks.find(tenant.id, trackId))!;
    expect(await c.services.trackMedia.renditions(track)).toHaveLength(2);
    const stuck = await c.db.selectFrom('jobs').select(['name', 'status']).where('status', 'in', ['queued', 'active']).execute();
    expect(stuck.filter((j) => j.name.startsWith('lane.'))).toEqual([]);
  });

  it('leaves no object and no half-made asset when killed during an upload', async () => {
    server ??= await startServer(env, port);
    const tenant = await c.services.identity.ensureTenant('acme');
    const size = 64 * 1024 * 1024;
    const intent = await c.services.uploads.createIntent({
      tenantId: tenant.id, ownerUserId: null, kind: 'audio', fileName: 'big.wav', contentType: 'audio/wav', byteSize: size, track: { create: { title: 'big' } },
    });
    // Stream the body slowly so the server is mid-write when it dies.
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(ctl) {
        if (sent >= size) return ctl.close();
        await new Promise((r) => setTimeout(r, 5));
        const chunk = new Uint8Array(Math.min(256 * 1024, size - sent));
        sent += chunk.length;
        ctl.enqueue(chunk);
      },
    });
    const upload = fetch(intent.signed.url, { method: 'PUT', headers: intent.signed.headers, body, duplex: 'half' } as RequestInit).catch((e: Error) => e);
    while (sent < 8 * 1024 * 1024) await new Promise((r) => setTimeout(r, 10));
    await server.kill('SIGKILL');
    const result = await upload;
    expect(result).toBeInstanceOf(Error);

    server = await startServer(env, port);
    expect(await c.store.stat(intent.asset.storageKey)).toBeNull();
    await expect(c.services.uploads.finalize(tenant.id, intent.upload.id)).rejects.toMatchObject({ code: 'upload_incomplete' });
    const asset = await c.repos.assets.find(tenant.id, intent.asset.id);
    expect(asset?.status).toBe('pending');
    // The restarted store cleared what the dead process was writing.
    const tmp = path.join(dataDir, 'blobs', 'tmp');
    const leftovers = readdirSync(tmp, { withFileTypes: true }).filter((e) => e.name.endsWith('.part'));
    expect(leftovers).toEqual([]);
  });
});
