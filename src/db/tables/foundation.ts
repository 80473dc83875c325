import type { Generated } from 'kysely';

/** Timestamps are ISO-8601 UTC strings and booleans 0/1 integers on both dialects, so rows read the same everywhere. */
export type Timestamp = string;
export type Bool = number;
export type Json = string;

export interface TenantsTable {
  id: string;
  name: string;
  plan: string;
  entitlements: Json;
  settings: Json;
  upcCounter: Generated<number>;
  webhookUrl: string | null;
  webhookSecret: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface UsersTable {
  id: string;
  tenantId: string;
  name: string;
  email: string | null;
  role: string;
  entitlements: Json;
  externalSubject: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  tenantId: string;
  userId: string | null;
  name: string | null;
  type: string;
  prefix: string;
  keyHash: string;
  collectionId: string | null;
  trackId: string | null;
  createdAt: Timestamp;
  lastUsedAt: Timestamp | null;
  expiresAt: Timestamp | null;
  revokedAt: Timestamp | null;
}

export interface AuditEventsTable {
  id: string;
  tenantId: string;
  actorUserId: string | null;
  actorKeyId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  changes: Json;
  createdAt: Timestamp;
}

export interface FoundationTables {
  tenants: TenantsTable;
  users: UsersTable;
  apiKeys: ApiKeysTable;
  auditEvents: AuditEventsTable;
}
