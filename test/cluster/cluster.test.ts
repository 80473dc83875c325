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
import { stalledMultipartUpload } from '../helpers/stalled-upload.js';
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
  /** API processes killed on purpose (the As that died mid-upload and mid-reorder). */
  const retired: ClusterProcess[] = [];
  let release: any;
  let mediaTrackId: string | undefined;

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
  /** A reply without its signed URLs, which carry the moment they were signed. */
  const unsigned = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'cloudUrl' ? undefined : v)));
  /**
   * Read in the database and the bucket (what no API shows whole): every asset of the track is a
   * complete object of its recorded size, every version points at one, and the bucket holds no
   * object under the release track's prefix that no asset names.
   */
  const expectEveryAssetStored = async (trackId: string, keyPart: string) => {
    const objects = await s3.objects();
    const assets = (await db.query(`SELECT id, status, storage_key, size FROM "${schema}".assets WHERE track_id = $1`, [trackId])).rows;
    for (const asset of assets) {
      expect(asset.status, `asset ${asset.id}`).toBe('uploaded');
      expect(objects.get(asset.storage_key), `object of asset ${asset.id}`).toBe(Number(asset.size));
    }
    const versions = (await db.query(`SELECT asset_id FROM "${schema}".track_versions WHERE track_id = $1`, [trackId])).rows;
    for (const v of versions) expect(assets.map((x) => x.id)).toContain(v.asset_id);
    expect([...objects.keys()].filter((k) => k.includes(keyPart)).sort()).toEqual(assets.map((x) => x.storage_key).filter((k) => k.includes(keyPart)).sort());
  };
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
    for (const p of [a, b, ...workers, ...retired]) await p?.kill();
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

  it('kill -9 of A mid-upload: B shows the previous media and no record of the half-sent file; the retry on B is processed', async () => {
    release = (await must(call(b, 'POST', '/releases', {
      title: 'Crash EP', displayArtist: 'Crash Artist', artists: { 'Crash Artist': 'primary' }, format: 'EP', type: 'Audio',
      tracks: ['One', 'Two', 'Three', 'Four'].map((title) => ({ title, displayArtist: 'Crash Artist' })),
    }), 201)).data;
    const rt = release.tracks[0].id as string;
    const mediaRoute = `/releases/${release.id}/tracks/${rt}/media/file`;
    const first = new FormData();
    first.append('file', new Blob([new Uint8Array(tone)], { type: 'audio/wav' }), 'first.wav');
    const previous = (await must(call(b, 'POST', mediaRoute, first))).data;
    const releaseTrack = async (p: ClusterProcess) => ((await must(call(p, 'GET', `/releases/${release.id}/tracks`))).data as any[]).find((t) => t.id === rt);
    const catalogTrackId = (await releaseTrack(b)).assetId as string;
    await readyOn(b, catalogTrackId);
    const before = await releaseTrack(b);

    // More than one 8 MiB part of the S3 store, so A has a multipart upload open when it dies.
    const big = toneBytes({ seconds: 52 });
    const partsBefore = await s3.partsInProgress();
    const upload = stalledMultipartUpload(`${a.base}${mediaRoute}`, auth, { field: 'file', fileName: 'second.wav', contentType: 'audio/wav', bytes: big, headBytes: 8.5 * 1024 * 1024 });
    await until('a part of the stalled upload stored by A', async () => (await s3.partsInProgress()) > partsBefore, 60_000);
    await a.kill();
    retired.push(a);
    const outcome = await upload.outcome;
    expect(outcome, 'A answered instead of dying mid-body').toBeInstanceOf(Error);
    expect(upload.sentBytes()).toBeLessThan(big.length);

    // B: the release track still has the first file, and nothing points at the half-sent one.
    expect(unsigned(await releaseTrack(b))).toEqual(unsigned(before));
    expect(before.media.map((m: any) => m.cloudId)).toEqual([previous.cloudId]);
    const versions = (await must(call(b, 'GET', `${WS}/tracks/${catalogTrackId}/versions`))).versions;
    expect(versions).toHaveLength(1);
    await expectEveryAssetStored(catalogTrackId, `/releases/${release.id}/${rt}/`);

    // The client retries on B with the same file: stored, filed as the playing version, processed.
    const retry = new FormData();
    retry.append('file', new Blob([new Uint8Array(big)], { type: 'audio/wav' }), 'second.wav');
    const retriedAt = new Date().toISOString();
    const replaced = (await must(call(b, 'POST', mediaRoute, retry))).data;
    expect(replaced.metadata.fileSize).toBe(big.length);
    const after = await releaseTrack(b);
    expect(after.assetId).toBe(catalogTrackId);
    expect(after.media).toHaveLength(1);
    expect(after.media[0].cloudId).not.toBe(before.media[0].cloudId);
    await until('the retried file as the current version', async () => {
      const v = await must(call(b, 'GET', `${WS}/tracks/${catalogTrackId}/versions`));
      return v.versions.length === 2 && v.versions.find((x: any) => x.isCurrent)?.assetId === after.media[0].cloudId;
    });
    const status = await readyOn(b, catalogTrackId, 90_000);
    expect(status.readiness).toMatchObject({ ready: true, playable: true });
    // The lanes ran again, on the retried file.
    const finished = Object.values(status.stages as Record<string, { status: string; finishedAt: string | null }>).filter((st) => st.status === 'succeeded');
    expect(finished.length).toBeGreaterThan(0);
    for (const st of finished) expect(st.finishedAt! > retriedAt).toBe(true);
    await expectEveryAssetStored(catalogTrackId, `/releases/${release.id}/${rt}/`);
    mediaTrackId = catalogTrackId;
  }, 150_000);

  it('kill -9 of A after it filed release media but before it finalized: a worker finishes the upload, and B serves it', async () => {
    expect(release, 'the release of the mid-upload test').toBeDefined();
    a = await startProcess('A (crashing)', { ...processEnv('api', await freePort()), LEDGERLINE_CRASH_AT: 'release.media.attached' });
    const rt = release.tracks[1].id as string;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(tone)], { type: 'audio/wav' }), 'filed.wav');
    const outcome = await call(a, 'POST', `/releases/${release.id}/tracks/${rt}/media/file`, form).catch((e: Error) => e);
    expect(outcome, 'A answered instead of dying').toBeInstanceOf(Error);
    await a.exited;
    retired.push(a);
    const filed = ((await must(call(b, 'GET', `/releases/${release.id}/tracks`))).data as any[]).find((t) => t.id === rt);
    expect(filed.media).toHaveLength(1);
    const catalogTrackId = filed.assetId as string;
    tracks.add(catalogTrackId);
    const status = await readyOn(b, catalogTrackId, 90_000);
    expect(status.readiness).toMatchObject({ ready: true, playable: true });
    const versions = (await must(call(b, 'GET', `${WS}/tracks/${catalogTrackId}/versions`))).versions;
    expect(versions.map((v: any) => [v.assetId, v.isCurrent])).toEqual([[filed.media[0].cloudId, true]]);
    await expectEveryAssetStored(catalogTrackId, `/releases/${release.id}/${rt}/`);
  }, 120_000);

  it('kill -9 of A mid-reorder: B numbers the tracks 1..n, each once, as one reorder left them, and reorders them', async () => {
    expect(release, 'the release of the mid-upload test').toBeDefined();
    // A fresh A that kills itself inside the third reorder's transaction, after the renumbering.
    a = await startProcess('A (crashing)', { ...processEnv('api', await freePort()), LEDGERLINE_CRASH_AT: 'release.reorder.renumbered#3' });
    const ids = (release.tracks as Array<{ id: string }>).map((t) => t.id);
    const rotated = (n: number) => [...ids.slice(n), ...ids.slice(0, n)];
    const orders = [rotated(1), rotated(2), rotated(3), rotated(0).reverse(), rotated(1).reverse()];
    const results = await Promise.allSettled(orders.map((trackOrder) => must(call(a, 'POST', `/releases/${release.id}/tracks/reorder`, { trackOrder }))));
    await Promise.race([a.exited, new Promise((_, reject) => setTimeout(() => reject(new Error('A did not crash in a reorder')), 30_000))]);
    retired.push(a);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(2);
    expect(results.some((r) => r.status === 'rejected')).toBe(true);

    const tracklist = async (p: ClusterProcess) => ((await must(call(p, 'GET', `/releases/${release.id}/tracks`))).data as Array<{ id: string; trackNumber: number }>);
    const onB = await tracklist(b);
    expect(onB.map((t) => t.trackNumber).sort((x, y) => x - y)).toEqual(ids.map((_, i) => i + 1));
    expect(new Set(onB.map((t) => t.id))).toEqual(new Set(ids));
    expect(onB).toHaveLength(ids.length);
    const order = [...onB].sort((x, y) => x.trackNumber - y.trackNumber).map((t) => t.id);
    // One of the reorders A committed (or none): never a mix of two.
    expect([ids, ...orders].map((o) => o.join())).toContain(order.join());

    const reversed = [...order].reverse();
    const reordered = (await must(call(b, 'POST', `/releases/${release.id}/tracks/reorder`, { trackOrder: reversed }))).data as Array<{ id: string; trackNumber: number }>;
    expect(reordered.map((t) => [t.id, t.trackNumber])).toEqual(reversed.map((id, i) => [id, i + 1]));

    // A restarted (a fresh process, no crash point) reads what B reads.
    a = await startProcess('A (restarted)', processEnv('api', await freePort()));
    const [afterA, afterB] = [await tracklist(a), await tracklist(b)];
    expect(unsigned(afterA)).toEqual(unsigned(afterB));
    expect([...afterB].sort((x, y) => x.trackNumber - y.trackNumber).map((t) => t.id)).toEqual(reversed);
    expect(unsigned(await must(call(a, 'GET', `/releases/${release.id}`)))).toEqual(unsigned(await must(call(b, 'GET', `/releases/${release.id}`))));
    if (mediaTrackId) {
      for (const route of [`${WS}/tracks/${mediaTrackId}`, `${WS}/tracks/${mediaTrackId}/versions`, `${WS}/tracks/${mediaTrackId}/processing-status`]) {
        expect(await must(call(a, 'GET', route)), route).toEqual(await must(call(b, 'GET', route)));
      }
    }
  }, 120_000);

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
