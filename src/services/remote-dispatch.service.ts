import { timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { CoreDeps } from '../container.js';
import { nowIso } from '../db/time.js';
import { uuidv7 } from '../domain/ids.js';
import { AppError, conflict, forbidden, notFound } from '../errors.js';
import { signRemoteBody } from '../jobs/lanes/remote-dispatch.js';
import { trackStem } from '../storage/object-keys.js';

export interface RemoteCallback {
  status: 'succeeded' | 'failed';
  error?: string;
  lyrics?: string;
  stems?: Array<{ name: string; url: string; contentType?: string }>;
}

const MAX_SKEW_SECONDS = 300;

/** Completes a lane that a remote worker ran, after checking the worker's HMAC signature. */
export function createRemoteDispatchService(c: CoreDeps<'config' | 'store', 'assets' | 'processing' | 'tracks'>) {
  function verify(rawBody: string, timestamp: string | undefined, signature: string | undefined): void {
    const worker = c.config.remoteWorker;
    if (!worker) throw notFound('remote_worker_not_configured', 'No remote worker is configured');
    if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) throw forbidden('signature_invalid', 'Missing or malformed signature headers');
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) throw forbidden('signature_expired', 'Signature timestamp is too old');
    const expected = Buffer.from(signRemoteBody(worker.secret, timestamp, rawBody));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw forbidden('signature_invalid', 'Signature does not match');
  }

  async function complete(dispatchId: string, cb: RemoteCallback): Promise<void> {
    const d = await c.repos.processing.findDispatch(dispatchId);
    if (!d) throw notFound('dispatch_not_found', 'Unknown dispatch');
    if (d.status === 'succeeded' || d.status === 'failed') throw conflict('dispatch_already_completed', 'This dispatch already completed');
    const key = { tenantId: d.tenantId, trackId: d.trackId, assetId: d.assetId, lane: d.lane };
    const now = nowIso();
    if (cb.status === 'failed') {
      await c.repos.processing.updateDispatch(d.id, { status: 'failed', error: (cb.error ?? 'remote worker failed').slice(0, 2000), updatedAt: now, completedAt: now });
      await c.repos.processing.upsertLane(key, { status: 'failed', error: `remote: ${(cb.error ?? 'failed').slice(0, 1000)}`, finishedAt: now });
      return;
    }
    if (d.lane === 'lyrics') {
      if (typeof cb.lyrics !== 'string') throw new AppError(400, 'validation_error', 'lyrics is required for a lyrics dispatch');
      await c.repos.tracks.update(d.tenantId, d.trackId, { lyrics: cb.lyrics.slice(0, 100_000), lyricsSource: 'remote', updatedAt: now });
    } else {
      for (const stem of cb.stems ?? []) {
        const res = await fetch(stem.url, { signal: AbortSignal.timeout(60_000) });
        if (!res.ok || !res.body) throw new AppError(502, 'stem_fetch_failed', `Could not fetch stem ${stem.name}`);
        const id = uuidv7();
        const contentType = stem.contentType ?? res.headers.get('content-type') ?? 'audio/wav';
        const storageKey = trackStem(d.tenantId, d.trackId, id, `${stem.name}.wav`);
        const stat = await c.store.put(storageKey, Readable.fromWeb(res.body as never), { contentType, maxBytes: c.config.limits.audioBytes });
        await c.repos.assets.insert({
          id, tenantId: d.tenantId, trackId: d.trackId, ownerUserId: null, kind: 'stem', name: stem.name.slice(0, 120), status: 'uploaded', storageKey,
          fileName: `${stem.name}.wav`, contentType, declaredSize: null, size: stat.size, metadata: JSON.stringify({ source: 'remote' }),
          createdAt: now, updatedAt: now, uploadedAt: now, expiresAt: null,
        });
      }
    }
    await c.repos.processing.updateDispatch(d.id, { status: 'succeeded', updatedAt: now, completedAt: now });
    await c.repos.processing.upsertLane(key, { status: 'succeeded', result: JSON.stringify({ source: 'remote', dispatchId: d.id }), error: null, finishedAt: now });
  }

  return { verify, complete };
}
