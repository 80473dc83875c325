/** Roles in ascending privilege; `member` is the Royalti API's `user`. */
export const ROLES = ['guest', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const roleRank = (r: Role): number => ROLES.indexOf(r);
export const atLeast = (r: Role, min: Role): boolean => roleRank(r) >= roleRank(min);

export const API_KEY_TYPES = ['server', 'player', 'uploader', 'share'] as const;
export type ApiKeyType = (typeof API_KEY_TYPES)[number];

export const ENTITLEMENTS = ['tracks.share', 'search.private', 'search.semantic', 'tracks.download'] as const;
export type Entitlement = (typeof ENTITLEMENTS)[number] | (string & {});

/** What each plan includes; a tenant or user may be granted more on top. */
export const PLANS: Record<string, readonly string[]> = {
  free: [],
  pro: ['tracks.share', 'search.private', 'tracks.download'],
  label: [...ENTITLEMENTS],
};

export function planEntitlements(plan: string): readonly string[] {
  return PLANS[plan] ?? [];
}

export interface ActorKey {
  id: string;
  type: ApiKeyType;
  collectionId: string | null;
  trackId: string | null;
}

/** Who is making a request, resolved once per request from its credential. */
export interface Actor {
  tenantId: string;
  tenantName: string;
  plan: string;
  userId: string | null;
  role: Role;
  entitlements: ReadonlySet<string>;
  via: 'jwt' | 'api_key';
  key?: ActorKey;
}
