import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_KEY_TYPES, atLeast, ROLES, type Role } from '../../domain/access.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import { actorOf } from '../surface.js';
import type { Container } from '../../container.js';

const durationSchema = z.string().regex(/^\d+[smhd]$/, 'like 30m, 12h or 7d');
export const parseDuration = (s: string): number => {
  const n = Number(s.slice(0, -1));
  return n * { s: 1, m: 60, h: 3600, d: 86400 }[s.slice(-1) as 's' | 'm' | 'h' | 'd'];
};

/** Who the credential belongs to: any valid token or key, no role needed. Lets a client check its credential. */
export function registerWhoamiRoute(root: FastifyInstance): void {
  root.get('/whoami', { schema: { tags: ['admin'], summary: 'The actor behind the credential' } }, async (request) => {
    const a = actorOf(request);
    return {
      tenantId: a.tenantId,
      tenantName: a.tenantName,
      plan: a.plan,
      userId: a.userId,
      role: a.role,
      entitlements: [...a.entitlements].sort(),
      via: a.via,
      ...(a.key ? { key: { id: a.key.id, type: a.key.type, collectionId: a.key.collectionId, trackId: a.key.trackId } } : {}),
    };
  });
}

/** Nobody acts as, or changes, a user of higher rank than their own. */
function mayActAs(own: Role, user: { role: string }): void {
  if (!atLeast(own, user.role as Role)) throw forbidden('user_outranks_you', `You cannot act as or change a user whose role (${user.role}) is above yours`);
}

/** Ledgerline's own administration of a tenant: users, tokens, API keys, webhooks. Admins only. */
export function registerAdminRoutes(root: FastifyInstance, c: Container): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { identity } = c.services;
  const tags = ['admin'];
  // Before the body is read or validated: a member learns nothing of what the route would take.
  app.addHook('onRequest', async (request) => {
    if (!atLeast(actorOf(request).role, 'admin')) throw forbidden('admin_required', 'Tenant admin role required');
  });

  app.get('/admin/tenant', { schema: { tags, summary: 'The current tenant' } }, async (request) => {
    // Read through the credential cache, which this request's authentication has just warmed.
    const t = await c.services.auth.tenant(actorOf(request).tenantId);
    if (!t) throw notFound('tenant_not_found');
    return identity.presentTenant(t);
  });

  app.put(
    '/admin/webhooks',
    {
      schema: {
        tags,
        summary: 'Set the organization webhook URL; returns the signing secret once',
        // The URL itself (scheme, host, where it resolves) is judged by the webhook service.
        body: z.object({ url: z.string().min(1).max(2048).nullable() }).strict(),
      },
    },
    async (request) => {
      const { url, secret } = await c.modules.collections.webhooks.setUrl(actorOf(request).tenantId, request.body.url);
      return { url, secret, signatureHeader: 'X-Ledgerline-Signature' };
    },
  );

  app.get(
    '/admin/webhooks',
    {
      schema: {
        tags,
        summary: 'The organization webhook URL and its latest deliveries, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const tenant = await c.repos.tenants.findById(actor.tenantId);
      const deliveries = await c.modules.collections.webhooks.list(actor.tenantId, request.query.limit);
      return {
        url: tenant?.webhookUrl ?? null,
        signatureHeader: 'X-Ledgerline-Signature',
        deliveries: deliveries.map((d) => ({
          id: d.id, event: d.event, status: d.status, attempts: d.attempts, responseCode: d.responseCode, lastError: d.lastError,
          createdAt: d.createdAt, deliveredAt: d.deliveredAt,
        })),
      };
    },
  );

  app.get('/admin/users', { schema: { tags, summary: 'Users of the tenant' } }, async (request) => {
    const users = await c.repos.tenants.listUsers(actorOf(request).tenantId);
    return { records: users.map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role, createdAt: u.createdAt })) };
  });

  app.post(
    '/admin/tokens',
    {
      schema: {
        tags,
        summary: 'Issue a JWT for a user of the tenant (created with `role` when missing; an existing user is never changed)',
        body: z
          .object({
            user: z.string().min(1).max(200),
            role: z.enum(ROLES).optional(),
            entitlements: z.array(z.string().min(1).max(100)).max(50).optional(),
            ttl: durationSchema.optional(),
          })
          .strict(),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (request.body.entitlements?.length) {
        throw forbidden('entitlements_not_grantable', 'Entitlements come from the plan and from the operator (npx ledgerline grant), not from a token request');
      }
      const wanted = request.body.role;
      if (wanted && !atLeast(actor.role, wanted)) throw forbidden('role_above_own', `You cannot issue a token with a role above your own (${actor.role})`);
      const user = await identity.findOrCreateUser(actor.tenantId, { name: request.body.user, role: wanted ?? 'member' });
      mayActAs(actor.role, user);
      if (wanted && wanted !== user.role) {
        throw conflict('role_mismatch', `User "${user.name}" is ${user.role}; change a role with PUT /admin/users/${user.id}`);
      }
      const token = await identity.issueToken(user, { ttlSeconds: request.body.ttl ? parseDuration(request.body.ttl) : undefined });
      return reply.status(201).send({ token, userId: user.id, role: user.role });
    },
  );

  app.put(
    '/admin/users/:id',
    {
      schema: {
        tags,
        summary: "Change a user's role (never above your own; the last owner stays owner)",
        params: z.object({ id: z.string().max(64) }),
        body: z.object({ role: z.enum(ROLES) }).strict(),
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const user = await c.repos.tenants.findUserById(request.params.id);
      if (!user || user.tenantId !== actor.tenantId) throw notFound('user_not_found', 'User not found');
      mayActAs(actor.role, user);
      if (!atLeast(actor.role, request.body.role)) throw forbidden('role_above_own', `You cannot grant a role above your own (${actor.role})`);
      const updated = await identity.setUserRole(actor.tenantId, user.id, request.body.role, { userId: actor.userId, keyId: actor.key?.id ?? null });
      c.services.auth.clearCache();
      return { id: updated.id, name: updated.name, email: updated.email, role: updated.role, createdAt: updated.createdAt };
    },
  );

  app.get('/admin/api-keys', { schema: { tags, summary: 'API keys (never the key itself)' } }, async (request) => {
    const keys = await c.repos.apiKeys.list(actorOf(request).tenantId);
    return {
      records: keys.map((k) => ({
        id: k.id,
        name: k.name,
        type: k.type,
        prefix: k.prefix,
        collectionId: k.collectionId,
        trackId: k.trackId,
        createdAt: k.createdAt,
        lastUsedAt: k.lastUsedAt,
        expiresAt: k.expiresAt,
        revokedAt: k.revokedAt,
      })),
    };
  });

  app.post(
    '/admin/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key; the key is returned once',
        body: z
          .object({
            name: z.string().max(200).optional(),
            type: z.enum(API_KEY_TYPES).default('server'),
            collectionId: z.uuid().optional(),
            trackId: z.uuid().optional(),
            ttl: durationSchema.optional(),
          })
          .strict(),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { key, record } = await identity.createApiKey({
        tenantId: actor.tenantId,
        type: request.body.type,
        name: request.body.name,
        collectionId: request.body.collectionId,
        trackId: request.body.trackId,
        ttlSeconds: request.body.ttl ? parseDuration(request.body.ttl) : undefined,
      });
      return reply.status(201).send({ key, id: record.id, prefix: record.prefix, type: record.type });
    },
  );

  app.delete('/admin/api-keys/:id', { schema: { tags, summary: 'Revoke an API key', params: z.object({ id: z.string().max(64) }) } }, async (request, reply) => {
    await identity.revokeApiKey(actorOf(request).tenantId, request.params.id);
    c.services.auth.clearCache();
    return reply.status(204).send();
  });
}
