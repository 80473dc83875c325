import { createHmac, randomUUID } from 'node:crypto';
import { crashPoint } from '../../../crash-points.js';
import type { CoreDeps } from '../../../container.js';
import { isoIn, nowIso, parseJson } from '../../../db/time.js';
import type { Actor } from '../../../domain/access.js';
import { badRequest, conflict, notFound } from '../../../errors.js';
import type { JobHandler } from '../../../jobs/queue.js';
import { checkDestination, OutboundRefused, type OutboundPolicy } from '../../../net/outbound-guard.js';
import { pinnedRequest } from '../../../net/pinned-request.js';
import type { DistributionRepositories } from '../../../repositories/distribution/index.js';
import type { DeliveryFilter, DistDeliveryRow } from '../../../repositories/distribution/webhook.repository.js';
import type { PageQuery } from '../../../repositories/distribution/query.js';
import { checkWebhookUrl, describeFailure, isTimeout, newWebhookSecret, signWebhook, SIGNATURE_HEADER } from '../../collections/webhook.service.js';
import { requireAdmin } from '../access.js';
import { ALL_EVENTS, categoryOf, DELIVERY_STATUSES, FINISHED_UNSUCCESSFULLY, importanceOf, isRoyaltiEvent, MAX_ATTEMPTS, type RoyaltiEvent } from './event-names.js';
import { stateEvent, type EventStatement } from './event-payload.js';

/** Hex HMAC-SHA256 of the raw body, as Royalti receivers check it. */
export const ROYALTI_SIGNATURE_HEADER = 'X-Royalti-Signature';
export const signBody = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface WebhookSettingsView {
  webhookUrl: string | null;
  isActive: boolean;
  /** Null: every event. */
  enabledEvents: string[] | null;
  updatedAt: string | null;
}

export type WebhookCore = CoreDeps<'config' | 'queue' | 'resolveHost' | 'events', 'tenants' | 'tracks'>;

/**
 * The distribution surface's outbound webhook (Royalti §5). Each catalog, roster or release
 * event becomes a delivery row and a job, in the database, so it survives a restart. A job
 * makes one attempt; a failed attempt schedules the next with exponential backoff, up to three.
 * Every delivery is signed with the tenant's secret.
 */
export function createDistributionWebhooks(deps: { core: WebhookCore; repos: Pick<DistributionRepositories, 'webhooks' | 'products' | 'artists' | 'releases'> }) {
  const { core, repos } = deps;
  const store = repos.webhooks;
  const policy: OutboundPolicy = { allowPrivate: core.config.webhooks.allowPrivate, resolve: core.resolveHost };
  const publicHost = new URL(core.config.publicUrl).host;

  async function settings(actor: Actor): Promise<WebhookSettingsView> {
    requireAdmin(actor);
    return settingsOf(actor.tenantId);
  }

  async function settingsOf(tenantId: string): Promise<WebhookSettingsView> {
    const row = await store.settings(tenantId);
    return {
      webhookUrl: row?.url ?? null,
      isActive: !!row?.isActive,
      enabledEvents: row?.enabledEvents ? parseJson<string[]>(row.enabledEvents, []) : null,
      updatedAt: row?.updatedAt ?? null,
    };
  }

  /** Sets or clears the URL; a new URL gets a new signing secret, answered once. */
  async function setUrl(actor: Actor, url: string | null): Promise<WebhookSettingsView & { webhookSecret: string | null }> {
    requireAdmin(actor);
    if (url !== null) url = await checkWebhookUrl(url, policy, () => badRequest('validation_error', 'webhookUrl must be an http(s) URL'));
    const current = await store.settings(actor.tenantId);
    const same = current?.url === url;
    const secret = url === null ? null : same ? current!.secret : newWebhookSecret();
    await store.saveSettings(actor.tenantId, { url, secret, ...(url === null ? { isActive: 0 } : {}) }, nowIso());
    return { ...(await settingsOf(actor.tenantId)), webhookSecret: same ? null : secret };
  }

  async function setActive(actor: Actor, isActive: boolean): Promise<WebhookSettingsView> {
    requireAdmin(actor);
    const current = await store.settings(actor.tenantId);
    if (isActive && !current?.url) throw badRequest('webhook_url_required', 'Set a webhook URL (PUT /tenant/settings/webhook-url) before enabling webhooks');
    await store.saveSettings(actor.tenantId, { isActive: isActive ? 1 : 0 }, nowIso());
    return settingsOf(actor.tenantId);
  }

  async function setEnabledEvents(actor: Actor, events: string[]): Promise<WebhookSettingsView> {
    requireAdmin(actor);
    const unknown = events.filter((e) => !isRoyaltiEvent(e));
    if (unknown.length) throw badRequest('unknown_webhook_event', `Unknown webhook event${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { details: { unknown, known: ALL_EVENTS } });
    await store.saveSettings(actor.tenantId, { enabledEvents: JSON.stringify([...new Set(events)]) }, nowIso());
    return settingsOf(actor.tenantId);
  }

  /** Who caused the event, as the payload names them. */
  async function actorOfEvent(by: { userId: string | null; keyId: string | null } | undefined) {
    if (by?.userId) {
      const user = await core.repos.tenants.findUserById(by.userId);
      if (user) return { id: user.id, type: 'user', name: user.name, email: user.email };
    }
    if (by?.keyId) return { id: by.keyId, type: 'api_key', name: null, email: null };
    return { id: null, type: 'system', name: 'Ledgerline', email: null };
  }

  /** Records the delivery of one statement and queues its first attempt, if the tenant takes it. */
  async function record(tenantId: string, s: EventStatement, by?: { userId: string | null; keyId: string | null }): Promise<string | null> {
    const row = await store.settings(tenantId);
    if (!row?.isActive || !row.url) return null;
    if (row.enabledEvents && !parseJson<string[]>(row.enabledEvents, []).includes(s.event)) return null;
    const tenant = await core.repos.tenants.findById(tenantId);
    if (!tenant) return null;
    const id = `whd_${randomUUID()}`;
    const now = nowIso();
    const payload = {
      id,
      event: s.event,
      timestamp: now,
      version: '1.0',
      tenant: { id: tenant.id, name: tenant.name, domain: publicHost },
      source: { service: 'ledgerline', environment: process.env.NODE_ENV ?? 'production', traceId: randomUUID() },
      data: {
        event: { id: `evt_${randomUUID()}`, type: s.event, category: categoryOf(s.event), timestamp: now, importance: importanceOf(s.event) },
        actor: await actorOfEvent(by),
        resource: { type: s.resource.type, id: s.resource.id, url: `${core.config.publicUrl}${s.resource.path}`, displayName: s.resource.displayName },
        attributes: s.attributes,
        previous: s.previous,
      },
    };
    await store.insert({
      id, tenantId, event: s.event, category: categoryOf(s.event), resourceType: s.resource.type, resourceId: s.resource.id, url: row.url,
      payload: JSON.stringify(payload), status: 'pending', attempt: 0, maxAttempts: MAX_ATTEMPTS, nextRetryAt: null, responseCode: null,
      responseMs: null, lastError: null, retriesRequested: 0, createdAt: now, updatedAt: now, completedAt: null,
    });
    await core.queue.enqueue('webhook.distribution.deliver', { tenantId, deliveryId: id, attempt: 1 }, { maxAttempts: 3 });
    return id;
  }

  // Every catalog event of the tenant that a Royalti receiver knows of becomes a delivery.
  core.events.subscribe(async (e) => {
    const statement = await stateEvent(e, { tracks: core.repos.tracks, tenants: core.repos.tenants, repos });
    if (statement) await record(e.tenantId, statement, e.actor);
  });

  const retryDelaySeconds = (attempt: number) => core.config.webhooks.retryBaseSeconds * 2 ** (attempt - 1);

  /** One attempt. A run for an attempt the row has moved past (a duplicate job) does nothing. */
  const deliver: JobHandler<'webhook.distribution.deliver'> = async ({ tenantId, deliveryId, attempt }, ctx) => {
    const d = await store.find(tenantId, deliveryId);
    if (!d || d.status !== 'pending' || d.attempt !== attempt - 1) return;
    const guard = { attempt: d.attempt };
    const settingsRow = await store.settings(tenantId);
    if (!settingsRow?.isActive || !settingsRow.url || !settingsRow.secret) {
      await finish(d, guard, 'cancelled', { lastError: 'webhooks were turned off before this delivery was sent' });
      return;
    }
    const last = attempt >= d.maxAttempts;
    const delay = retryDelaySeconds(attempt);
    const nextRetryAt = last ? null : isoIn(delay);
    const body = JSON.stringify({ ...JSON.parse(d.payload), delivery: { attempt, maxAttempts: d.maxAttempts, nextRetryAt } });
    const t = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Ledgerline-Webhooks/1',
      'X-Royalti-Event': d.event,
      'X-Royalti-Delivery': d.id,
      [ROYALTI_SIGNATURE_HEADER]: signBody(settingsRow.secret, body),
      [SIGNATURE_HEADER]: signWebhook(settingsRow.secret, body, t),
    };
    const started = Date.now();
    let outcome: { status: 'success' | 'failed' | 'timeout'; code: number | null; error: string | null; refused?: boolean };
    try {
      const dest = await checkDestination(settingsRow.url, policy);
      const res = await pinnedRequest(dest, { method: 'POST', headers, body, timeoutMs: core.config.webhooks.timeoutMs, signal: ctx.signal });
      outcome = res.status >= 200 && res.status < 300 ? { status: 'success', code: res.status, error: null } : { status: 'failed', code: res.status, error: `receiver answered ${res.status}` };
    } catch (err) {
      // The worker is stopping: the attempt did not happen; the queue runs the job again.
      if (ctx.signal.aborted) throw err;
      if (err instanceof OutboundRefused) outcome = { status: 'failed', code: null, error: 'destination_not_allowed', refused: true };
      else if (isTimeout(err)) outcome = { status: 'timeout', code: null, error: `no answer within ${core.config.webhooks.timeoutMs / 1000} s` };
      else outcome = { status: 'failed', code: null, error: describeFailure(err) };
    }
    crashPoint('webhook.distribution.answered');
    const measured = { attempt, url: settingsRow.url, responseCode: outcome.code, responseMs: Date.now() - started, lastError: outcome.error };
    if (outcome.status === 'success') {
      await finish(d, guard, 'success', { ...measured, nextRetryAt: null });
      return;
    }
    if (last || outcome.refused) {
      await finish(d, guard, outcome.status, { ...measured, nextRetryAt: null });
      return;
    }
    const moved = await store.transition(d.id, ['pending'], { ...measured, nextRetryAt, updatedAt: nowIso() }, guard);
    if (moved) await core.queue.enqueue('webhook.distribution.deliver', { tenantId, deliveryId, attempt: attempt + 1 }, { maxAttempts: 3, delaySeconds: delay });
  };

  function finish(d: DistDeliveryRow, guard: { attempt: number }, status: string, patch: Record<string, unknown>) {
    const now = nowIso();
    return store.transition(d.id, ['pending'], { ...patch, status, updatedAt: now, completedAt: now }, guard);
  }

  /** Starts a finished, unsuccessful delivery again: three more attempts, the first now. */
  async function retry(actor: Actor, id: string): Promise<DistDeliveryRow> {
    requireAdmin(actor);
    const d = await store.find(actor.tenantId, id);
    if (!d) throw notFound('webhook_delivery_not_found', 'Webhook delivery not found');
    if (!FINISHED_UNSUCCESSFULLY.includes(d.status as never)) {
      throw conflict('webhook_delivery_not_retryable', d.status === 'success' ? 'This delivery has already succeeded' : 'This delivery is still pending');
    }
    const moved = await store.transition(
      d.id,
      FINISHED_UNSUCCESSFULLY,
      { status: 'pending', attempt: 0, nextRetryAt: null, completedAt: null, retriesRequested: d.retriesRequested + 1, updatedAt: nowIso() },
      { attempt: d.attempt },
    );
    if (!moved) throw conflict('webhook_delivery_not_retryable', 'This delivery changed meanwhile; read it again');
    await core.queue.enqueue('webhook.distribution.deliver', { tenantId: actor.tenantId, deliveryId: d.id, attempt: 1 }, { maxAttempts: 3 });
    return (await store.find(actor.tenantId, d.id))!;
  }

  async function get(actor: Actor, id: string): Promise<DistDeliveryRow> {
    requireAdmin(actor);
    const d = await store.find(actor.tenantId, id);
    if (!d) throw notFound('webhook_delivery_not_found', 'Webhook delivery not found');
    return d;
  }

  async function list(actor: Actor, filter: DeliveryFilter, page: PageQuery) {
    requireAdmin(actor);
    return store.list(actor.tenantId, filter, page);
  }

  async function summary(actor: Actor, filter: DeliveryFilter) {
    requireAdmin(actor);
    const counts = await store.counts(actor.tenantId, filter);
    const byStatus = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<string, number>;
    const byEvent: Record<string, number> = {};
    let total = 0;
    let timed = 0;
    let msSum = 0;
    for (const c of counts) {
      total += c.n;
      byStatus[c.status] = (byStatus[c.status] ?? 0) + c.n;
      byEvent[c.event] = (byEvent[c.event] ?? 0) + c.n;
      if (c.avgMs !== null) {
        timed += c.n;
        msSum += c.avgMs * c.n;
      }
    }
    const finished = byStatus.success + byStatus.failed + byStatus.timeout;
    return {
      total,
      byStatus,
      byEvent,
      successRate: finished ? Math.round((byStatus.success / finished) * 10_000) / 100 : null,
      averageResponseMs: timed ? Math.round(msSum / timed) : null,
    };
  }

  /**
   * Queues again the pending deliveries whose next attempt is overdue by more than a lease: those
   * a crash caught between recording an attempt and queueing the next. A duplicate job for an
   * attempt that is queued after all finds the row moved on and does nothing.
   */
  async function recoverStalled(): Promise<number> {
    const stalled = await store.stalled(isoIn(-Math.max(60, core.config.jobLeaseSeconds * 2)));
    for (const d of stalled) await core.queue.enqueue('webhook.distribution.deliver', { tenantId: d.tenantId, deliveryId: d.id, attempt: d.attempt + 1 }, { maxAttempts: 3 });
    return stalled.length;
  }

  return { settings, setUrl, setActive, setEnabledEvents, record, deliver, retry, get, list, summary, recoverStalled };
}
export type DistributionWebhooks = ReturnType<typeof createDistributionWebhooks>;


