import type { Kysely } from 'kysely';
import { T } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('name', T.text, (c) => c.notNull().unique())
    .addColumn('plan', T.text, (c) => c.notNull())
    .addColumn('entitlements', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('settings', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('upc_counter', T.big, (c) => c.notNull().defaultTo(0))
    .addColumn('webhook_url', T.text)
    .addColumn('webhook_secret', T.text)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', T.text, (c) => c.notNull())
    .addColumn('email', T.text)
    .addColumn('role', T.text, (c) => c.notNull())
    .addColumn('entitlements', T.json, (c) => c.notNull().defaultTo('[]'))
    .addColumn('external_subject', T.text)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('updated_at', T.ts, (c) => c.notNull())
    .addUniqueConstraint('users_tenant_name_uq', ['tenant_id', 'name'])
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', T.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('name', T.text)
    .addColumn('type', T.text, (c) => c.notNull())
    .addColumn('prefix', T.text, (c) => c.notNull())
    .addColumn('key_hash', T.text, (c) => c.notNull().unique())
    .addColumn('collection_id', T.id)
    .addColumn('track_id', T.id)
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .addColumn('last_used_at', T.ts)
    .addColumn('expires_at', T.ts)
    .addColumn('revoked_at', T.ts)
    .execute();
  await db.schema.createIndex('api_keys_tenant_idx').on('api_keys').column('tenant_id').execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', T.id, (c) => c.primaryKey())
    .addColumn('tenant_id', T.id, (c) => c.notNull())
    .addColumn('actor_user_id', T.id)
    .addColumn('actor_key_id', T.id)
    .addColumn('action', T.text, (c) => c.notNull())
    .addColumn('entity_type', T.text, (c) => c.notNull())
    .addColumn('entity_id', T.id, (c) => c.notNull())
    .addColumn('changes', T.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', T.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_entity_idx').on('audit_events').columns(['tenant_id', 'entity_type', 'entity_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['audit_events', 'api_keys', 'users', 'tenants']) await db.schema.dropTable(t).execute();
}
