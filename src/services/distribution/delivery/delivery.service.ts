import type { CoreDeps } from '../../../container.js';
import { nowIso, parseJson } from '../../../db/time.js';
import type { Actor } from '../../../domain/access.js';
import { uuidv7 } from '../../../domain/ids.js';
import { badRequest, conflict, notFound } from '../../../errors.js';
import type { JobContext } from '../../../jobs/queue.js';
import type { DeliveryProviderRow, DeliveryRow } from '../../../repositories/distribution/delivery.repository.js';
import type { DistributionRepositories } from '../../../repositories/distribution/index.js';
import type { ProductRow } from '../../../repositories/distribution/product.repository.js';
import { uniqueViolation } from '../../../db/unique-violation.js';
import { requireAdmin, requireWriter } from '../access.js';
import type { DdexService } from '../ddex/ddex.service.js';
import { ERN_MESSAGE_KINDS, type ErnMessageKind } from '../ddex/ern-model.js';
import { batchCompleteXml, batchIdAt } from './batch-complete.js';
import { OutboundRefused, type OutboundPolicy } from '../../../net/outbound-guard.js';
import { checkProvider, openTransport } from './open-transport.js';
import { providerInput, SECRET_FIELDS } from './provider-config.js';
import type { DeliveryTransport } from './transport.js';

export interface DeliveryServiceDeps {
  core: CoreDeps<'db' | 'config' | 'store' | 'queue' | 'resolveHost'>;
  repos: Pick<DistributionRepositories, 'deliveries' | 'products'>;
  ddex: DdexService;
}

/** A provider as clients see it: its configuration without secrets. */
export function presentProvider(p: DeliveryProviderRow) {
  const config = parseJson<Record<string, unknown>>(p.config, {});
  for (const k of SECRET_FIELDS) if (k in config) config[k] = '********';
  return { id: p.id, name: p.name, kind: p.kind, config, recipient: { partyId: p.recipientPartyId, name: p.recipientName }, createdAt: p.createdAt, updatedAt: p.updatedAt };
}

export function presentDelivery(d: DeliveryRow, productCode?: string) {
  return {
    id: d.id, productId: productCode ?? d.productId, providerId: d.providerId, batchId: d.batchId, type: d.messageKind, status: d.status, messageId: d.messageId,
    bytes: Number(d.bytes), files: d.files, attempts: d.attempts, error: d.error, createdAt: d.createdAt, updatedAt: d.updatedAt, deliveredAt: d.deliveredAt,
  };
}

/** Test seam and progress hook: called after each file of a batch is written. */
export type AfterFile = (path: string) => void | Promise<void>;

export function createDeliveryService(deps: DeliveryServiceDeps) {
  const { core, repos, ddex } = deps;
  const policy: OutboundPolicy = { allowPrivate: core.config.ddex.allowPrivateProviders, resolve: core.resolveHost };
  const MAX_ATTEMPTS = 3;

  async function createProvider(actor: Actor, raw: unknown) {
    requireAdmin(actor);
    const parsed = providerInput.safeParse(raw);
    if (!parsed.success) throw badRequest('validation_error', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; '));
    const input = parsed.data;
    try {
      await checkProvider(input.kind, input.config as Record<string, unknown>, policy);
    } catch (err) {
      if (err instanceof OutboundRefused) throw badRequest('destination_not_allowed', `The provider's ${input.kind === 'sftp' ? 'host' : 'endpoint'} is not allowed: ${err.message}`);
      throw err;
    }
    const now = nowIso();
    const id = uuidv7();
    try {
      await repos.deliveries.insertProvider({
        id, tenantId: actor.tenantId, name: input.name, kind: input.kind, config: JSON.stringify(input.config), recipientPartyId: input.recipient.partyId, recipientName: input.recipient.name,
        createdAt: now, updatedAt: now,
      });
    } catch (err) {
      if (uniqueViolation(err)) throw conflict('provider_name_taken', `A delivery provider named ${input.name} already exists`);
      throw err;
    }
    return presentProvider((await repos.deliveries.findProvider(actor.tenantId, id))!);
  }

  const listProviders = async (actor: Actor) => (await repos.deliveries.providers(actor.tenantId)).map(presentProvider);

  async function provider(actor: Actor, ref: string): Promise<DeliveryProviderRow> {
    const p = await repos.deliveries.findProvider(actor.tenantId, ref);
    if (!p) throw notFound('provider_not_found', 'Delivery provider not found');
    return p;
  }

  async function removeProvider(actor: Actor, ref: string) {
    requireAdmin(actor);
    const p = await provider(actor, ref);
    await repos.deliveries.deleteProvider(actor.tenantId, p.id);
  }

  const recipientOf = async (actor: Actor, ref: string) => {
    const p = await provider(actor, ref);
    return { partyId: p.recipientPartyId, name: p.recipientName };
  };

  /** Queues one batch: every product must be ready now (the job checks again when it runs). */
  async function batchDelivery(actor: Actor, input: { productIds: string[]; provider: string; type?: ErnMessageKind }) {
    requireWriter(actor);
    const kind = input.type ?? 'new';
    if (!ERN_MESSAGE_KINDS.includes(kind)) throw badRequest('validation_error', `type must be one of ${ERN_MESSAGE_KINDS.join(', ')}`);
    const p = await provider(actor, input.provider);
    const recipient = { partyId: p.recipientPartyId, name: p.recipientName };
    const products: ProductRow[] = [];
    for (const ref of [...new Set(input.productIds)]) {
      const row = await ddex.product(actor, ref);
      await ddex.messageFor(row, kind, recipient);
      products.push(row);
    }
    const created = new Date();
    const batchId = batchIdAt(created);
    const now = created.toISOString();
    const rows = products.map((row) => ({
      id: uuidv7(), tenantId: actor.tenantId, productId: row.id, providerId: p.id, batchId, messageKind: kind, status: 'queued' as const, messageId: null,
      bytes: 0, files: 0, attempts: 0, error: null, createdAt: now, updatedAt: now, deliveredAt: null,
    }));
    await repos.deliveries.insert(rows);
    await core.queue.enqueue('delivery.batch', { tenantId: actor.tenantId, batchId }, { singletonKey: batchId, maxAttempts: MAX_ATTEMPTS });
    return { batchId, provider: presentProvider(p), deliveries: rows.map((r, i) => presentDelivery(r, products[i].code)) };
  }

  /**
   * Writes a batch: per release a folder named by UPC with the resources first and the message
   * last, then `BatchComplete_<batchId>.xml`. Files already written whole by an earlier attempt
   * are kept, so a retry after a dead worker finishes the batch.
   */
  async function runBatch(payload: { tenantId: string; batchId: string }, ctx: Pick<JobContext, 'signal'>, afterFile?: AfterFile): Promise<void> {
    const rows = (await repos.deliveries.inBatch(payload.batchId)).filter((r) => r.tenantId === payload.tenantId);
    if (!rows.length) return;
    const p = await repos.deliveries.findProvider(payload.tenantId, rows[0].providerId);
    if (!p) return;
    let transport: DeliveryTransport;
    try {
      transport = await openTransport(p, core.config.dataDir, policy);
    } catch (err) {
      const refused = err instanceof OutboundRefused;
      for (const r of rows) if (r.status !== 'delivered') await repos.deliveries.update(r.id, { status: 'failed', error: refused ? `destination_not_allowed: ${err.message}` : messageOf(err), updatedAt: nowIso() });
      // A refused destination stays refused: no retry.
      if (refused) return;
      throw err;
    }
    const recipient = { partyId: p.recipientPartyId, name: p.recipientName };
    let failures = 0;
    try {
      for (const r of rows) {
        if (r.status === 'delivered') continue;
        await repos.deliveries.update(r.id, { status: 'sending', attempts: r.attempts + 1, error: null, updatedAt: nowIso() });
        try {
          const product = await repos.products.findById(payload.tenantId, r.productId);
          if (!product) throw new Error('The product no longer exists');
          const { xml, draft } = await ddex.messageFor(product, r.messageKind as ErnMessageKind, recipient);
          const folder = `${payload.batchId}/${product.upc}`;
          let bytes = 0;
          let files = 0;
          for (const f of draft.files) {
            if (ctx.signal.aborted) throw new Error('The worker stopped');
            const rel = `${folder}/${f.uri}`;
            if ((await transport.size(rel)) !== f.size) {
              // A local path for the file: the local store's own, or a temporary copy of an S3 object.
              const local = await core.store.materialize(f.storageKey);
              try {
                await transport.put(rel, { path: local.path }, f.size);
              } finally {
                await local.cleanup();
              }
            }
            bytes += f.size;
            files++;
            await afterFile?.(rel);
          }
          const body = Buffer.from(xml);
          const rel = `${folder}/${product.upc}.xml`;
          await transport.put(rel, body, body.length);
          await afterFile?.(rel);
          await repos.deliveries.update(r.id, { status: 'delivered', messageId: draft.message.messageId, bytes: bytes + body.length, files: files + 1, error: null, deliveredAt: nowIso(), updatedAt: nowIso() });
        } catch (err) {
          failures++;
          await repos.deliveries.update(r.id, { status: 'failed', error: messageOf(err), updatedAt: nowIso() });
          if (ctx.signal.aborted) throw err;
        }
      }
      if (failures) throw new Error(`${failures} of ${rows.length} deliveries of batch ${payload.batchId} failed`);
      const done = await repos.deliveries.inBatch(payload.batchId);
      const products = await repos.products.findManyById(payload.tenantId, done.map((d) => d.productId));
      const upcOf = new Map(products.map((x) => [x.id, x.upc]));
      const xml = Buffer.from(
        batchCompleteXml(payload.batchId, done.map((d) => ({ path: `${upcOf.get(d.productId)}/${upcOf.get(d.productId)}.xml`, messageId: d.messageId ?? '', upc: upcOf.get(d.productId) ?? '' })), nowIso()),
      );
      await transport.put(`${payload.batchId}/BatchComplete_${payload.batchId}.xml`, xml, xml.length);
    } finally {
      await transport.close();
    }
  }

  async function forProduct(actor: Actor, ref: string) {
    const row = await ddex.product(actor, ref);
    return (await repos.deliveries.forProduct(actor.tenantId, row.id)).map((d) => presentDelivery(d, row.code));
  }

  /** Readiness and where the product's deliveries stand. */
  async function status(actor: Actor, ref: string) {
    const readiness = await ddex.productReadiness(actor, ref);
    const row = await ddex.product(actor, ref);
    const deliveries = await repos.deliveries.forProduct(actor.tenantId, row.id);
    const latest = deliveries[0] ? presentDelivery(deliveries[0], row.code) : null;
    return { ...readiness, status: latest?.status ?? 'not_delivered', latestDelivery: latest };
  }

  /** Queues a failed delivery's batch again; what was already written whole is not sent twice. */
  async function retry(actor: Actor, ref: string, deliveryId: string) {
    requireWriter(actor);
    const row = await ddex.product(actor, ref);
    const d = await repos.deliveries.find(actor.tenantId, deliveryId);
    if (!d || d.productId !== row.id) throw notFound('delivery_not_found', 'Delivery not found');
    if (d.status !== 'failed') throw conflict('delivery_not_failed', `Only failed deliveries can be retried; this one is ${d.status}`);
    await repos.deliveries.update(d.id, { status: 'queued', error: null, updatedAt: nowIso() });
    await core.queue.enqueue('delivery.batch', { tenantId: actor.tenantId, batchId: d.batchId }, { singletonKey: d.batchId, maxAttempts: MAX_ATTEMPTS });
    return presentDelivery((await repos.deliveries.find(actor.tenantId, d.id))!, row.code);
  }

  return { createProvider, listProviders, removeProvider, recipientOf, batchDelivery, runBatch, forProduct, status, retry };
}
export type DeliveryService = ReturnType<typeof createDeliveryService>;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);
