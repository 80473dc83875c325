import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/db/migrations/index.js';
import { toneBytes } from '../helpers/audio.js';
import { clusterEnv, runCli, startProcess, type ClusterProcess } from '../helpers/cluster.js';
import { startS3rver, type RunningS3rver } from '../helpers/s3rver.js';
import { freePort } from '../helpers/server-process.js';
import { dropSchemas, postgresUrl, uniqueSchema } from '../jobs/support.js';

/**
 * The scale-out deployment as one system: two API processes (A, B) and two workers, started
 * with the container's entrypoint and the variables of deploy/cluster.env, on one PostgreSQL
 * schema and one S3 bucket. Everything is checked over HTTP except where noted (the migration
 * table, and pg-boss's job table to catch a worker holding a job).
 */
const url = postgresUrl();
const WS = '/api/swayzio/v1';
/** A short lease so a killed worker's job comes back in seconds; compose keeps the default 30 s. */
const LEASE_SECONDS = 4;

interface Reply { status: number; body: any }

describe.skipIf(!url)('cluster: two API processes and two workers on PostgreSQL + S3', () => {
  const schema = uniqueSchema('cluster');
  let dataDir: string;
  let s3: RunningS3rver;
  let a: ClusterProcess;
  let b: ClusterProcess;
  const workers: ClusterProcess[] = [];
  let db: pg.Client;
  let env: Record<string, string>;
  let auth: Record<string, string>;
  let tone: Buffer;
  let collectionId: string;
  const tracks = new Set<string>();

  const call = async (p: ClusterProcess, method: string, route: string, body?: unknown, headers: Record<string, string> = auth): Promise<Reply> => {
    const res = await fetch(`${p.base}${route}`, {
      method,
      headers: { ...headers, ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed };
  };
  const must = async (r: Promise<Reply>, status = 200): Promise<any> => {
    const reply = await r;
    if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const putBytes = async (signedUrl: string, headers: Record<string, string>, bytes: Buffer) => {
    const res = await fetch(signedUrl, { method: 'PUT', headers, body: new Uint8Array(bytes) });
    await res.arrayBuffer();
    expect(res.status).toBe(200);
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  /** Ready, with every lane settled (optional lanes included). */
  const readyOn = (p: ClusterProcess, id: string, timeoutMs = 60_000) =>
    until(`track ${id} ready on ${p.name}`, async () => {
      const r = await call(p, 'GET', `${WS}/tracks/${id}/processing-status`);
      const settled = r.status === 200 && Object.values(r.body.stages as Record<string, { status: string }>).every((st) => !['pending', 'running'].includes(st.status));
      return settled && r.body.readiness?.ready ? r.body : undefined;
    }, timeoutMs);
  const processEnv = (mode: 'api' | 'worker', port: number) => ({
    ...clusterEnv(),
    RUN_MODE: mode,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: url!,
    DATABASE_SCHEMA: schema,
    STORAGE_URL: s3.storageUrl,
    JWT_SECRET: 'cluster-secret-cluster-secret-cluster-secret',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    JOB_LEASE_SECONDS: String(LEASE_SECONDS),
    LOG_LEVEL: 'warn',
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'll-cluster-'));
    s3 = await startS3rver('cluster');
    tone = toneBytes({ seconds: 1 });
    const [portA, portB] = [await freePort(), await freePort()];
    // Both API processes at once on the empty schema: one migrates, the other waits for it.
    [a, b] = await Promise.all([startProcess('A', processEnv('api', portA)), startProcess('B', processEnv('api', portB))]);
    a.name = 'A';
    b.name = 'B';
    for (const n of [1, 2]) workers.push(await startProcess(`worker ${n}`, processEnv('worker', 0)));
    env = processEnv('api', portA);
    const token = await runCli(env, ['token', 'create', '--tenant', 'default', '--user', 'admin', '--role', 'owner', '--entitlement', 'tracks.share']);
    auth = { authorization: `Bearer ${token}` };
    db = new pg.Client({ connectionString: url });
    await db.connect();
    collectionId = (await must(call(a, 'POST', '/v1/collection', { title: 'Cluster' }))).collection_id;
  }, 180_000);

  afterAll(async () => {
    for (const p of [a, b, ...workers]) await p?.kill();
    await db?.end();
    await s3?.close();
    await dropSchemas(schema, `${schema}_boss`);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrated the empty schema exactly once though both API processes started at once', async () => {
    const { rows } = await db.query(`SELECT name FROM "${schema}".kysely_migration ORDER BY name`);
    expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    const tenants = await db.query(`SELECT name FROM "${schema}".tenants`);
    expect(tenants.rows.map((r) => r.name)).toEqual(['default']);
    for (const p of [a, b]) expect((await call(p, 'GET', '/readyz', undefined, {})).status).toBe(200);
  });

  it('processes a Swayzio signed upload taken on A and serves the same track, peaks and playback on B', async () => {
    const intent = await must(call(a, 'POST', `${WS}/uploads`, { fileName: 'signed.wav', contentType: 'audio/wav', byteSize: tone.length }), 201);
    tracks.add(intent.trackId);
    await putBytes(intent.signedUrl, intent.requiredHeaders, tone);
    await must(call(a, 'POST', intent.finalizeUrl.replace(/^https?:\/\/[^/]+/, '')));
    const status = await readyOn(b, intent.trackId);
    expect(status.readiness).toMatchObject({ ready: true, playable: true });
    const onA = await must(call(a, 'GET', `${WS}/tracks/${intent.trackId}`));
    const onB = await must(call(b, 'GET', `${WS}/tracks/${intent.trackId}`));
    expect(onB).toEqual(onA);
    const peaksA = await must(call(a, 'GET', `${WS}/tracks/${intent.trackId}/peaks`));
    const peaksB = await must(call(b, 'GET', `${WS}/tracks/${intent.trackId}/peaks`));
    expect(peaksB).toEqual(peaksA);
    expect(JSON.stringify(peaksB).length).toBeGreaterThan(100);
    const playback = await must(call(b, 'GET', `${WS}/tracks/${intent.trackId}/playback-url`));
    const audio = await fetch(playback.url);
    expect(audio.status).toBe(200);
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('finalizes an AudioDN upload-session PUT (no finalize call) in a worker, and B reports it ready', async () => {
    const sid = (await must(call(a, 'POST', '/v1/upload_session', { collection_id: collectionId }))).upload_session_id;
    const created = await must(call(a, 'POST', `/v1/upload/${sid}/track`, { file_name: 'session.wav' }, {}));
    tracks.add(created.track_id);
    await putBytes(created.track_upload.upload_url, created.track_upload.headers ?? {}, tone);
    await readyOn(b, created.track_id);
    const track = (await must(call(b, 'GET', `/v1/track/${created.track_id}`))).track;
    expect(track).toMatchObject({ track_status_id: 'ready', size: tone.length });
    expect((await must(call(a, 'GET', `/v1/track/${created.track_id}`))).track).toMatchObject({ track_status_id: 'ready' });
  });

  it('processes distribution release media uploaded on A, and B reports the asset with its audio', async () => {
    const rel = (await must(
      call(a, 'POST', '/releases', { title: 'Cluster EP', displayArtist: 'Cluster Artist', artists: { 'Cluster Artist': 'primary' }, format: 'Single', type: 'Audio', tracks: [{ title: 'Master', displayArtist: 'Cluster Artist' }] }),
      201,
    )).data;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(tone)], { type: 'audio/wav' }), 'master.wav');
    await must(call(a, 'POST', `/releases/${rel.id}/tracks/${rel.tracks[0].id}/media/file`, form));
    const releaseTracks = (await must(call(b, 'GET', `/releases/${rel.id}/tracks`))).data as Array<{ id: string; assetId: string }>;
    const trackId = releaseTracks.find((t) => t.id === rel.tracks[0].id)!.assetId;
    tracks.add(trackId);
    await readyOn(b, trackId);
    const asset = (await must(call(b, 'GET', `/asset/${trackId}`))).data;
    expect(asset.hasAudio).toBe(true);
    expect(asset.duration).toBeGreaterThan(0.9);
  });

  it('honours a share link and an API key minted on A on B, and refuses both on A once revoked on B', async () => {
    const trackId = [...tracks][0];
    const link = await must(call(a, 'POST', `${WS}/tracks/${trackId}/share-links`, { name: 'for the band' }), 201);
    expect((await call(b, 'GET', link.sharePath, undefined, {})).status).toBe(200);
    expect((await call(a, 'GET', link.sharePath, undefined, {})).status).toBe(200);
    const key = await must(call(a, 'POST', '/admin/api-keys', { name: 'cluster key', type: 'server' }), 201);
    const byKey = { authorization: `Bearer ${key.key}` };
    expect((await call(b, 'GET', `/v1/track/${trackId}`, undefined, byKey)).status).toBe(200);
    expect((await call(a, 'GET', `/v1/track/${trackId}`, undefined, byKey)).status).toBe(200);

    expect((await call(b, 'DELETE', `${WS}/tracks/${trackId}/share-links/${link.id}`)).status).toBe(204);
    expect((await call(b, 'DELETE', `/admin/api-keys/${key.id}`)).status).toBeLessThan(300);
    // The very next request on A, which served (and cached) both a moment ago.
    expect((await call(a, 'GET', link.sharePath, undefined, {})).status).toBe(404);
    expect((await call(a, 'GET', `/v1/track/${trackId}`, undefined, byKey)).status).toBe(401);
  });

  it('hands the job of a kill -9ed worker to the other worker, which finishes it within 60 s', async () => {
    const [holder, other] = workers;
    // Only `holder` takes jobs while the upload goes in.
    other.signal('SIGSTOP');
    const long = toneBytes({ seconds: 90 });
    const intent = await must(call(a, 'POST', `${WS}/uploads`, { fileName: 'long.wav', contentType: 'audio/wav', byteSize: long.length }), 201);
    tracks.add(intent.trackId);
    await putBytes(intent.signedUrl, intent.requiredHeaders, long);
    await must(call(a, 'POST', intent.finalizeUrl.replace(/^https?:\/\/[^/]+/, '')));
    // Observed in pg-boss's table: the holder is running one of the track's lanes.
    const held = await until('a lane job running', async () => {
      const { rows } = await db.query(`SELECT id, name FROM "${schema}_boss".job WHERE state = 'active' AND name IN ('lane.analyze', 'lane.playback') AND data->>'trackId' = $1`, [intent.trackId]);
      return rows[0] as { id: string; name: string } | undefined;
    }, 30_000);
    await holder.kill();
    const killedAt = Date.now();
    other.signal('SIGCONT');
    const status = await readyOn(b, intent.trackId, 60_000);
    const tookMs = Date.now() - killedAt;
    expect(tookMs).toBeLessThan(60_000);
    const { rows } = await db.query(`SELECT state, retry_count FROM "${schema}_boss".job WHERE id = $1`, [held.id]);
    expect(rows[0]).toMatchObject({ state: 'completed', retry_count: 1 });
    for (const [lane, stage] of Object.entries(status.stages as Record<string, { status: string }>)) {
      expect(['succeeded', 'not_configured', 'skipped'], `${lane}: ${stage.status}`).toContain(stage.status);
    }
    const versions = (await must(call(b, 'GET', `${WS}/tracks/${intent.trackId}/versions`))).versions;
    expect(versions).toHaveLength(1);
    console.log(`cluster: ${held.name} of a killed worker finished by the other worker ${tookMs} ms after the kill`);
    workers.push(await startProcess('worker 3', processEnv('worker', 0)));
  }, 180_000);

  it('leaves every finalized upload in a terminal state with one version, read the same on A and B', async () => {
    for (const id of tracks) {
      const onA = await must(call(a, 'GET', `${WS}/tracks/${id}/processing-status`));
      const onB = await must(call(b, 'GET', `${WS}/tracks/${id}/processing-status`));
      expect(onB.readiness).toEqual(onA.readiness);
      expect(onA.readiness.ready).toBe(true);
      expect((await must(call(b, 'GET', `${WS}/tracks/${id}/versions`))).versions).toHaveLength(1);
    }
  });
});
