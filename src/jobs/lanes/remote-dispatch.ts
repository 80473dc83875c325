import { createHmac } from 'node:crypto';
import { nowIso } from '../../db/time.js';
import { uuidv7 } from '../../domain/ids.js';
import type { CoreDeps } from '../../container.js';
import type { LaneKey, LaneOutcome } from './lane-runner.js';

export const signRemoteBody = (secret: string, timestamp: string, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/**
 * Hands a lane to the configured remote worker (transcription, separation): an HMAC-signed
 * POST with a signed URL of the audio and a callback URL. The lane stays `running` until the
 * worker calls back. Without a worker the lane is `not_configured`; never an invented result.
 */
export async function dispatchRemote(c: CoreDeps<'config' | 'store', 'processing'>, key: LaneKey, lane: 'lyrics' | 'stems', storageKey: string): Promise<LaneOutcome> {
  const worker = c.config.remoteWorker;
  if (!worker) return { status: 'not_configured', result: { reason: 'no remote worker configured (REMOTE_WORKER_URL)' } };
  const id = uuidv7();
  const now = nowIso();
  await c.repos.processing.insertDispatch({ id, ...key, lane, status: 'dispatching', requestUrl: worker.url, attempts: 1, error: null, createdAt: now, updatedAt: now, completedAt: null });
  const body = JSON.stringify({
    dispatchId: id,
    task: lane === 'lyrics' ? 'transcribe' : 'separate',
    audioUrl: await c.store.signedGetUrl(storageKey, { expiresInSec: 6 * 3600 }),
    callbackUrl: `${c.config.publicUrl}/internal/remote-dispatches/${id}/callback`,
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const res = await fetch(worker.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ledgerline-timestamp': timestamp, 'x-ledgerline-signature': signRemoteBody(worker.secret, timestamp, body) },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw new Error(`remote worker answered ${res.status}`);
    await c.repos.processing.updateDispatch(id, { status: 'dispatched', updatedAt: nowIso() });
    return { status: 'running', result: { dispatchId: id } };
  } catch (err) {
    await c.repos.processing.updateDispatch(id, { status: 'failed', error: err instanceof Error ? err.message : String(err), updatedAt: nowIso() });
    throw err;
  }
}
