import { SignJWT } from 'jose';
import type { Config } from '../config.js';
import { uuidv7 } from '../domain/ids.js';
import { planEntitlements, type ApiKeyType, type Role } from '../domain/access.js';
import { nowIso, isoIn, parseJson } from '../db/time.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { ApiKeyRepository, ApiKeyRow } from '../repositories/api-key.repository.js';
import type { TenantRepository, TenantRow, UserRow } from '../repositories/tenant.repository.js';
import { mintSecret } from './credentials.js';
import { uniqueViolation } from '../db/unique-violation.js';
import type { Db } from '../db/database.js';
import type { EventBus } from '../catalog/events.js';

export interface IdentityDeps {
  config: Pick<Config, 'jwt'>;
  db: Db;
  tenants: TenantRepository;
  apiKeys: ApiKeyRepository;
  /** Where user.created and user.updated are published (after the write). */
  events?: Pick<EventBus, 'publish'>;
}

export interface TenantView {
  id: string;
  name: string;
  plan: string;
  entitlements: string[];
  effectiveEntitlements: string[];
  webhookUrl: string | null;
  createdAt: string;
}

export const presentTenant = (t: TenantRow): TenantView => {
  const extra = parseJson<string[]>(t.entitlements, []);
  return {
    id: t.id,
    name: t.name,
    plan: t.plan,
    entitlements: extra,
    effectiveEntitlements: [...new Set([...planEntitlements(t.plan), ...extra])],
    webhookUrl: t.webhookUrl,
    createdAt: t.createdAt,
  };
};

/** Tenants, users, API keys and the tokens we issue ourselves. */
export function createIdentityService(deps: IdentityDeps) {
  const { db, tenants, apiKeys } = deps;
  const secretKey = new TextEncoder().encode(deps.config.jwt.secret);

  async function createTenant(input: { name: string; plan?: string; entitlements?: string[] }): Promise<TenantRow> {
    const now = nowIso();
    const row = {
      id: uuidv7(),
      name: input.name,
      plan: input.plan ?? 'pro',
      entitlements: JSON.stringify(input.entitlements ?? []),
      settings: '{}',
      webhookUrl: null,
      webhookSecret: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await tenants.insert(row);
    } catch (err) {
      if (uniqueViolation(err)) throw conflict('tenant_exists', `A tenant named "${input.name}" already exists`);
      throw err;
    }
    return (await tenants.findById(row.id))!;
  }

  async function ensureTenant(name: string, plan?: string): Promise<TenantRow> {
    return (await tenants.findByName(name)) ?? createTenant({ name, plan });
  }

  /**
   * The user of that name, created with `role` when missing. An existing user is returned as it
   * is: finding a user (to mint a token, to import as them) never changes who they are.
   */
  async function findOrCreateUser(tenantId: string, input: { name: string; role?: Role; email?: string }): Promise<UserRow> {
    const existing = await tenants.findUserByName(tenantId, input.name);
    if (existing) return existing;
    const now = nowIso();
    const row: UserRow = {
      id: uuidv7(),
      tenantId,
      name: input.name,
      email: input.email ?? null,
      role: input.role ?? 'member',
      entitlements: '[]',
      externalSubject: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await tenants.insertUser(row);
    } catch (err) {
      // Two requests created the same user at once: the first one's row is the user.
      const winner = uniqueViolation(err) ? await tenants.findUserByName(tenantId, input.name) : undefined;
      if (winner) return winner;
      throw err;
    }
    await deps.events?.publish({ type: 'user.created', tenantId, userId: row.id });
    return row;
  }

  /** Changes a user's role. The tenant's last owner keeps theirs, so a tenant always has an owner. */
  async function setUserRole(tenantId: string, userId: string, role: Role, by?: { userId: string | null; keyId: string | null }): Promise<UserRow> {
    let from: string | null = null;
    const updated = await db.transaction().execute(async (tx) => {
      const user = await tenants.findUserById(userId, tx);
      if (!user || user.tenantId !== tenantId) throw notFound('user_not_found', 'User not found');
      if (user.role === role) return user;
      if (user.role === 'owner') {
        const owners = (await tenants.listUsers(tenantId, tx)).filter((u) => u.role === 'owner');
        if (owners.length <= 1) throw conflict('last_owner', 'The last owner of a tenant cannot be demoted; make another user owner first');
      }
      from = user.role;
      await tenants.updateUser(userId, { role, updatedAt: nowIso() }, tx);
      return (await tenants.findUserById(userId, tx))!;
    });
    if (from !== null) await deps.events?.publish({ type: 'user.updated', tenantId, userId, changes: { role: { from, to: role } }, ...(by ? { actor: by } : {}) });
    return updated;
  }

  /** Entitlements granted by the operator (CLI) on top of the plan, to a whole tenant or one user. */
  async function grantEntitlements(target: { tenantId: string; userId?: string }, granted: string[]): Promise<string[]> {
    const merge = (current: string): string[] => [...new Set([...parseJson<string[]>(current, []), ...granted])];
    if (target.userId) {
      const user = await tenants.findUserById(target.userId);
      if (!user || user.tenantId !== target.tenantId) throw notFound('user_not_found', 'User not found');
      const entitlements = merge(user.entitlements);
      await tenants.updateUser(user.id, { entitlements: JSON.stringify(entitlements), updatedAt: nowIso() });
      return entitlements;
    }
    const tenant = await tenants.findById(target.tenantId);
    if (!tenant) throw notFound('tenant_not_found', 'Tenant not found');
    const entitlements = merge(tenant.entitlements);
    await tenants.update(tenant.id, { entitlements: JSON.stringify(entitlements), updatedAt: nowIso() });
    return entitlements;
  }

  /** Signs an HS256 access token for a user of ours. */
  async function issueToken(user: UserRow, opts: { ttlSeconds?: number } = {}): Promise<string> {
    const jwt = new SignJWT({ tid: user.tenantId, role: user.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuedAt()
      .setIssuer('ledgerline')
      .setJti(uuidv7());
    if (opts.ttlSeconds) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + opts.ttlSeconds);
    return jwt.sign(secretKey);
  }

  /** A key's collection or track must be one of the tenant's own. */
  async function requireScopeExists(tenantId: string, scope: { collectionId?: string | null; trackId?: string | null }): Promise<void> {
    if (scope.collectionId) {
      const found = await db.selectFrom('collections').select('id').where('tenantId', '=', tenantId).where('id', '=', scope.collectionId).executeTakeFirst();
      if (!found) throw notFound('collection_not_found', 'Collection not found');
    }
    if (scope.trackId) {
      const found = await db.selectFrom('tracks').select('id').where('tenantId', '=', tenantId).where('id', '=', scope.trackId).where('deletedAt', 'is', null).executeTakeFirst();
      if (!found) throw notFound('track_not_found', 'Track not found');
    }
  }

  async function createApiKey(input: {
    tenantId: string;
    type: ApiKeyType;
    name?: string | null;
    userId?: string | null;
    collectionId?: string | null;
    trackId?: string | null;
    ttlSeconds?: number;
  }): Promise<{ key: string; record: ApiKeyRow }> {
    if (input.type !== 'server' && !input.collectionId && !input.trackId) {
      throw badRequest('scope_required', `A ${input.type} key must be scoped to a collection or a track`);
    }
    await requireScopeExists(input.tenantId, input);
    const secret = mintSecret('ll_');
    const record: ApiKeyRow = {
      id: uuidv7(),
      tenantId: input.tenantId,
      userId: input.userId ?? null,
      name: input.name ?? null,
      type: input.type,
      prefix: secret.displayPrefix,
      keyHash: secret.hash,
      collectionId: input.collectionId ?? null,
      trackId: input.trackId ?? null,
      createdAt: nowIso(),
      lastUsedAt: null,
      expiresAt: input.ttlSeconds ? isoIn(input.ttlSeconds) : null,
      revokedAt: null,
    };
    await apiKeys.insert(record);
    return { key: secret.plaintext, record };
  }

  async function revokeApiKey(tenantId: string, id: string): Promise<void> {
    const res = await apiKeys.revoke(tenantId, id, nowIso());
    if (!res[0] || Number(res[0].numUpdatedRows) === 0) throw notFound('api_key_not_found');
  }

  async function requireTenantByName(name: string): Promise<TenantRow> {
    const t = await tenants.findByName(name);
    if (!t) throw notFound('tenant_not_found', `No tenant named "${name}"`);
    return t;
  }

  return { createTenant, ensureTenant, findOrCreateUser, setUserRole, grantEntitlements, issueToken, createApiKey, revokeApiKey, requireTenantByName, presentTenant };
}
export type IdentityService = ReturnType<typeof createIdentityService>;
