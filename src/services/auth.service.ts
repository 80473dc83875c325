import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config.js';
import { planEntitlements, ROLES, type Actor, type ApiKeyType, type Role } from '../domain/access.js';
import { uuidv7 } from '../domain/ids.js';
import { nowIso, parseJson } from '../db/time.js';
import { unauthorized } from '../errors.js';
import type { ApiKeyRepository } from '../repositories/api-key.repository.js';
import type { TenantRepository, TenantRow, UserRow } from '../repositories/tenant.repository.js';
import { sha256 } from './credentials.js';
import { noDataVersion, type DataVersion } from '../db/data-version.js';
import { createVersionedCache } from '../db/versioned-cache.js';

export interface AuthDeps {
  config: Pick<Config, 'jwt'>;
  /** Makes cached lookups exact while the database can tell; when it cannot, they live CACHE_MS. */
  dataVersion?: DataVersion;
  tenants: TenantRepository;
  apiKeys: ApiKeyRepository;
}

const CACHE_MS = 5_000;

/** An actor and the moment its credential must be looked at again. */
interface Resolved {
  actor: Actor;
  until: number;
}

/** A token whose signature checked out: its claims, and whether Ledgerline issued it. */
interface VerifiedClaims {
  payload: JWTPayload;
  own: boolean;
}
const isRole = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);

/**
 * Turns an `Authorization` header into an Actor. The actor and the rows behind it (key, tenant,
 * user) are cached until anything is written (see src/db/data-version.ts), so a revoked key stops
 * working on the next request; while the database cannot tell, for a few seconds. A JWT's
 * signature is checked again every few seconds (never past its expiry), so a busy client pays
 * for one check per window, not one per request.
 */
const CREDENTIAL_TABLES = { tables: ['tenants', 'users', 'api_keys'] } as const;

export function createAuthService(deps: AuthDeps) {
  const secretKey = new TextEncoder().encode(deps.config.jwt.secret);
  const jwks = deps.config.jwt.jwksUrl ? createRemoteJWKSet(new URL(deps.config.jwt.jwksUrl)) : null;
  // Credentials resolve from these tables only: writes elsewhere (a catalog being processed) keep them.
  const scope = () => CREDENTIAL_TABLES;
  const rows = createVersionedCache<unknown>(deps.dataVersion ?? noDataVersion, { max: 10_000, fallbackTtlMs: CACHE_MS, scope });
  const cached = <T>(key: string, load: () => Promise<T>): Promise<T> => rows.get(key, load) as Promise<T>;
  // The actor a credential resolves to, on the same terms as the rows it was built from, and
  // never past the credential's own expiry.
  const actors = createVersionedCache<Resolved>(deps.dataVersion ?? noDataVersion, { max: 10_000, fallbackTtlMs: CACHE_MS, scope });

  const tenantById = (id: string) => cached(`t:${id}`, () => deps.tenants.findById(id));
  const userById = (id: string) => cached(`u:${id}`, () => deps.tenants.findUserById(id));

  /** The plan's entitlements and the operator's grants to the tenant and the user; never a token's own claims. */
  function entitlementsOf(tenant: TenantRow, user: UserRow | null): Set<string> {
    const set = new Set<string>([...planEntitlements(tenant.plan), ...parseJson<string[]>(tenant.entitlements, [])]);
    if (user) for (const e of parseJson<string[]>(user.entitlements, [])) set.add(e);
    return set;
  }

  async function fromApiKey(token: string): Promise<Resolved> {
    const key = await cached(`k:${token}`, () => deps.apiKeys.findByHash(sha256(token)));
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt < nowIso())) throw unauthorized('Invalid or revoked API key');
    const tenant = await tenantById(key.tenantId);
    if (!tenant) throw unauthorized('Invalid API key');
    const user = (key.userId ? await userById(key.userId) : null) ?? null;
    const actor: Actor = {
      tenantId: tenant.id,
      tenantName: tenant.name,
      plan: tenant.plan,
      userId: user?.id ?? null,
      role: key.type === 'server' ? (user && isRole(user.role) ? user.role : 'admin') : 'guest',
      entitlements: entitlementsOf(tenant, user),
      via: 'api_key',
      key: { id: key.id, type: key.type as ApiKeyType, collectionId: key.collectionId, trackId: key.trackId },
    };
    return { actor, until: key.expiresAt ? Date.parse(key.expiresAt) : Infinity };
  }

  async function fromOwnJwt(payload: JWTPayload): Promise<Actor> {
    const userId = payload.sub;
    if (!userId) throw unauthorized('Token has no subject');
    const user = await userById(userId);
    if (!user || user.tenantId !== payload.tid) throw unauthorized('Unknown user');
    const tenant = await tenantById(user.tenantId);
    if (!tenant) throw unauthorized('Unknown tenant');
    return userActor(tenant, user, payload, 'guest');
  }

  /** An external identity provider names the tenant in a `tenant` claim; its users are provisioned on first sight. */
  async function fromExternalJwt(payload: JWTPayload): Promise<Actor> {
    const tenantName = typeof payload.tenant === 'string' ? payload.tenant : null;
    if (!tenantName || !payload.sub) throw unauthorized('Token lacks tenant or subject claims');
    const tenant = await cached(`tn:${tenantName}`, () => deps.tenants.findByName(tenantName));
    if (!tenant) throw unauthorized('Unknown tenant');
    const subject = payload.sub;
    // A cached miss is checked again before provisioning: the user may have been created since.
    let user = (await cached(`us:${tenant.id}:${subject}`, () => deps.tenants.findUserBySubject(tenant.id, subject))) ?? (await deps.tenants.findUserBySubject(tenant.id, subject));
    if (!user) {
      const now = nowIso();
      user = {
        id: uuidv7(),
        tenantId: tenant.id,
        name: `ext:${payload.sub}`,
        email: typeof payload.email === 'string' ? payload.email : null,
        role: isRole(payload.role) ? payload.role : 'member',
        entitlements: '[]',
        externalSubject: payload.sub,
        createdAt: now,
        updatedAt: now,
      };
      await deps.tenants.insertUser(user);
    }
    return userActor(tenant, user, payload, 'member');
  }

  /** A user signed in with a JWT; a role the user row does not name falls back to `fallbackRole`. */
  function userActor(tenant: TenantRow, user: UserRow, payload: JWTPayload, fallbackRole: Role): Actor {
    return {
      tenantId: tenant.id,
      tenantName: tenant.name,
      plan: tenant.plan,
      userId: user.id,
      role: isRole(user.role) ? user.role : fallbackRole,
      entitlements: entitlementsOf(tenant, user),
      via: 'jwt',
    };
  }

  async function resolve(token: string): Promise<Resolved> {
    if (token.startsWith('ll_')) return fromApiKey(token);
    const { payload, own } = await verifyJwt(token);
    const actor = own ? await fromOwnJwt(payload) : await fromExternalJwt(payload);
    // The signature is checked again every few seconds, so a signing key withdrawn from the JWKS stops counting.
    return { actor, until: Math.min(Date.now() + CACHE_MS, payload.exp ? payload.exp * 1000 : Infinity) };
  }

  async function authenticate(header: string | undefined): Promise<Actor> {
    if (!header) throw unauthorized('Missing Authorization header');
    const m = /^Bearer\s+(\S{1,4096})\s*$/i.exec(header);
    if (!m) throw unauthorized('Authorization must be "Bearer <token>"');
    const token = m[1];
    const hit = await actors.get(token, () => resolve(token));
    if (Date.now() < hit.until) return hit.actor;
    // Run out (an expired key or token, or claims due for another check): resolve again, which refuses what is no longer valid.
    actors.delete(token);
    return (await actors.get(token, () => resolve(token))).actor;
  }

  async function verifyJwt(token: string): Promise<VerifiedClaims> {
    let verified: Awaited<ReturnType<typeof jwtVerify>>;
    try {
      verified = await jwtVerify(token, secretKey, { algorithms: ['HS256'] }).catch(async (err) => {
        if (jwks && !(err instanceof joseErrors.JWTExpired)) {
          return jwtVerify(token, jwks, deps.config.jwt.issuer ? { issuer: deps.config.jwt.issuer } : {});
        }
        throw err;
      });
    } catch (err) {
      // Only a bad token is the client's fault; a failing lookup below is ours (500).
      if (err instanceof joseErrors.JWTExpired) throw unauthorized('Token expired');
      throw unauthorized('Invalid token');
    }
    const { payload, protectedHeader } = verified;
    return { payload, own: protectedHeader.alg === 'HS256' && payload.iss === 'ledgerline' };
  }

  return {
    authenticate,
    /** The tenant row, from the credential cache (as exact as a query: it depends on `tenants` only). */
    tenant: tenantById,
    clearCache: () => {
      rows.clear();
      actors.clear();
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
