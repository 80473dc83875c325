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

export interface IdentityDeps {
  config: Pick<Config, 'jwt'>;
  tenants: TenantRepository;
  apiKeys: ApiKeyRepository;
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
  const { tenants, apiKeys } = deps;
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

  async function ensureUser(tenantId: string, input: { name: string; role?: Role; entitlements?: string[]; email?: string }): Promise<UserRow> {
    const existing = await tenants.findUserByName(tenantId, input.name);
    if (existing) {
      const patch: Partial<UserRow> = {};
      if (input.role && input.role !== existing.role) patch.role = input.role;
      if (input.entitlements?.length) {
        const merged = [...new Set([...parseJson<string[]>(existing.entitlements, []), ...input.entitlements])];
        patch.entitlements = JSON.stringify(merged);
      }
      if (Object.keys(patch).length) {
        await tenants.updateUser(existing.id, { ...patch, updatedAt: nowIso() });
        return (await tenants.findUserById(existing.id))!;
      }
      return existing;
    }
    const now = nowIso();
    const row: UserRow = {
      id: uuidv7(),
      tenantId,
      name: input.name,
      email: input.email ?? null,
      role: input.role ?? 'member',
      entitlements: JSON.stringify(input.entitlements ?? []),
      externalSubject: null,
      createdAt: now,
      updatedAt: now,
    };
    await tenants.insertUser(row);
    return row;
  }

  /** Signs an HS256 access token for a user of ours. */
  async function issueToken(user: UserRow, opts: { ttlSeconds?: number; entitlements?: string[] } = {}): Promise<string> {
    const jwt = new SignJWT({ tid: user.tenantId, role: user.role, ...(opts.entitlements?.length ? { ent: opts.entitlements } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuedAt()
      .setIssuer('ledgerline')
      .setJti(uuidv7());
    if (opts.ttlSeconds) jwt.setExpirationTime(Math.floor(Date.now() / 1000) + opts.ttlSeconds);
    return jwt.sign(secretKey);
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

  return { createTenant, ensureTenant, ensureUser, issueToken, createApiKey, revokeApiKey, requireTenantByName, presentTenant };
}
export type IdentityService = ReturnType<typeof createIdentityService>;
