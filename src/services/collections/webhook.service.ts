import { createHmac, randomBytes } from 'node:crypto';
import type { CoreDeps } from '../../container.js';
import { nowIso } from '../../db/time.js';
import { uuidv7 } from '../../domain/ids.js';
import type { JobHandler } from '../../jobs/queue.js';
import type { CollectionsRepositories } from '../../repositories/collections/index.js';
import { AppError, badRequest } from '../../errors.js';
import { checkDestination, OutboundRefused, type OutboundPolicy } from '../../net/outbound-guard.js';
import { pinnedRequest } from '../../net/pinned-request.js';

export type WebhookEvent =
  | 'track.status_changed'
  | 'track_file.created'
  | 'track_file.failed'
  | 'collection.created'
  | 'collection.updated'
  | 'collection.deleted'
  // Catalog events of any track, whichever surface it came from (the workspace's events).
  | 'track.ready'
  | 'track.failed'
  | 'share_link.viewed'
  | 'split_sheet.updated';

export const SIGNATURE_HEADER = 'X-Ledgerline-Signature';
export const EVENT_HEADER = 'X-Ledgerline-Event';
/** Attempts per delivery; the queue backs off exponentially between them (about a minute in all). A last attempt that hangs is recorded as `timeout`. */
export const WEBHOOK_MAX_ATTEMPTS = 7;
/** What the delivery log says of a destination the guard refused: nothing about what is there. */
export const DESTINATION_NOT_ALLOWED = 'destination_not_allowed';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed with the organization's
 * webhook secret. Receivers recompute it over the raw body and reject stale timestamps.
 */
export function signWebhook(secret: string, body: string, t: number): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/**
 * Organization webhooks: each event is recorded as a delivery row, then POSTed by the
 * `webhook.deliver` job, retried with backoff until a 2xx (at least once; receivers key on ids).
 */
export function createWebhookService(deps: { core: CoreDeps<'config' | 'queue' | 'resolveHost', 'tenants', 'auth'>; repos: Pick<CollectionsRepositories, 'webhooks'> }) {
  const { core, repos: { webhooks } } = deps;
  const policy: OutboundPolicy = { allowPrivate: core.config.webhooks.allowPrivate, resolve: core.resolveHost };

  /**
   * Sets (or clears, with null) the organization's webhook URL and mints a new signing secret.
   * Only http(s) URLs whose host resolves to public addresses are taken (unless the operator
   * allows private ones); each delivery checks again, since DNS can change after this.
   */
  async function setUrl(tenantId: string, url: string | null): Promise<{ url: string | null; secret: string | null }> {
    if (url !== null) {
      url = await checkWebhookUrl(url, policy, () => new AppError(400, 'validation_error', 'Invalid webhook URL', { issues: [{ path: 'url', message: 'Invalid URL' }] }));
    }
    const secret = url ? newWebhookSecret() : null;
    await core.repos.tenants.update(tenantId, { webhookUrl: url, webhookSecret: secret, updatedAt: nowIso() });
    return { url, secret };
  }

  /** Records and queues an event; nothing is recorded when the organization has no webhook URL. */
  async function emit(tenantId: string, event: WebhookEvent, body: Record<string, unknown>): Promise<string | null> {
    // Asked on every event (a share page view is one): the credential cache's row, exact as a query.
    const tenant = await core.services.auth.tenant(tenantId);
    if (!tenant?.webhookUrl) return null;
    const id = uuidv7();
    const now = nowIso();
    const payload = JSON.stringify({ event, delivery_id: id, created_at: now, organization_id: tenantId, ...body });
    await webhooks.insert({ id, tenantId, event, payload, status: 'pending', attempts: 0, responseCode: null, lastError: null, createdAt: now, updatedAt: now, deliveredAt: null });
    await core.queue.enqueue('webhook.deliver', { tenantId, deliveryId: id }, { maxAttempts: WEBHOOK_MAX_ATTEMPTS });
    return id;
  }

  const deliver: JobHandler<'webhook.deliver'> = async ({ tenantId, deliveryId }, ctx) => {
    const delivery = await webhooks.find(tenantId, deliveryId);
    if (!delivery || delivery.status === 'delivered') return;
    const tenant = await core.repos.tenants.findById(tenantId);
    const attempts = delivery.attempts + 1;
    if (!tenant?.webhookUrl) {
      await webhooks.update(delivery.id, { status: 'failed', attempts, lastError: 'the organization has no webhook URL any more', updatedAt: nowIso() });
      return;
    }
    const t = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Ledgerline-Webhooks/1',
      [EVENT_HEADER]: delivery.event,
      // AudioDN receivers branch on this header.
      'X-ADN-Event': delivery.event,
      'X-Ledgerline-Delivery': delivery.id,
    };
    if (tenant.webhookSecret) headers[SIGNATURE_HEADER] = signWebhook(tenant.webhookSecret, delivery.payload, t);

    let responseCode: number | null = null;
    let error: string | null = null;
    let timedOut = false;
    try {
      // Checked again at every attempt and sent to the address that passed: a name that now
      // resolves inside (a DNS rebind) is refused, and nothing the target said is kept.
      const dest = await checkDestination(tenant.webhookUrl, policy);
      const res = await pinnedRequest(dest, { method: 'POST', headers, body: delivery.payload, timeoutMs: core.config.webhooks.timeoutMs, signal: ctx.signal });
      responseCode = res.status;
      if (res.status < 200 || res.status >= 300) error = `receiver answered ${res.status}`;
    } catch (err) {
      if (err instanceof OutboundRefused) {
        await webhooks.update(delivery.id, { status: 'failed', attempts, responseCode: null, lastError: DESTINATION_NOT_ALLOWED, updatedAt: nowIso() });
        return;
      }
      // The worker is stopping: the attempt did not happen; the queue runs the job again.
      if (ctx.signal.aborted) throw err;
      timedOut = isTimeout(err);
      error = timedOut ? `no answer within ${core.config.webhooks.timeoutMs / 1000} s` : describeFailure(err);
    }
    const now = nowIso();
    if (!error) {
      await webhooks.update(delivery.id, { status: 'delivered', attempts, responseCode, lastError: null, updatedAt: now, deliveredAt: now });
      return;
    }
    const final = ctx.attempt >= ctx.maxAttempts;
    // A receiver that hung through the last attempt is recorded as such, not as a refusal.
    await webhooks.update(delivery.id, { status: final ? (timedOut ? 'timeout' : 'failed') : 'retrying', attempts, responseCode, lastError: error, updatedAt: now });
    if (!final) throw new Error(`webhook delivery ${delivery.id}: ${error}`);
  };

  return { setUrl, emit, deliver, list: (tenantId: string, limit?: number) => webhooks.list(tenantId, limit) };
}
export type WebhookService = ReturnType<typeof createWebhookService>;

/**
 * A webhook URL as given by a client: http(s), resolving to public addresses unless the
 * operator allows private ones; the normalised URL, or a 400 (`invalid` for a malformed one,
 * in the surface's own words).
 */
export async function checkWebhookUrl(url: string, policy: OutboundPolicy, invalid: () => AppError): Promise<string> {
  try {
    return (await checkDestination(url, policy)).url.href;
  } catch (err) {
    if (!(err instanceof OutboundRefused)) throw err;
    if (err.reason === 'invalid_url') throw invalid();
    throw badRequest('webhook_url_not_allowed', `This webhook URL is not allowed: ${err.message}`, { details: { reason: err.reason } });
  }
}

/** A new signing secret, shown to the client once. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64url')}`;

/** Whether a request was cut by its deadline (pinnedRequest's timeout), not refused. */
export function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; cause?: { name?: string } } | null;
  return e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError' || e?.name === 'AbortError';
}

/** A short cause for the log: the error code (ECONNREFUSED, a timeout), not messages that quote addresses. */
export function describeFailure(err: unknown): string {
  const e = err as { name?: string; code?: string } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'ABORT_ERR') return 'request timed out or was aborted';
  if (typeof e?.code === 'string') return `connection failed (${e.code.slice(0, 40)})`;
  return 'connection failed';
}
