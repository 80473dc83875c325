import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { AuditEventsTable } from '../db/tables/foundation.js';

export type AuditEventRow = Selectable<AuditEventsTable>;

export function createAuditRepository(db: Executor) {
  return {
    insert: (row: AuditEventRow, tx: Executor = db) => tx.insertInto('auditEvents').values(row).execute(),
    listForEntity: (tenantId: string, entityType: string, entityId: string, tx: Executor = db) =>
      tx
        .selectFrom('auditEvents')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('entityType', '=', entityType)
        .where('entityId', '=', entityId)
        .orderBy('createdAt')
        .orderBy('id')
        .execute(),
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
