import type { CoreDeps } from '../../container.js';
import type { Executor } from '../../db/database.js';
import { nowIso, parseJson } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';

export interface AuditEntry {
  action: string;
  entityType: 'release' | 'product' | 'asset' | 'artist';
  entityId: string;
  changes: Record<string, unknown>;
}

export interface StatusChange {
  from: string | null;
  to: string;
  note: string | null;
  at: string;
  by: string | null;
}

export const STATUS_ACTION = 'release.status_changed';

/** Who changed what and when, in audit_events. */
export function createAuditTrail(deps: { core: CoreDeps<'db', 'audit'> }) {
  const { core } = deps;
  function record(actor: Actor, entry: AuditEntry, tx: Executor = core.db) {
    return core.repos.audit.insert(
      {
        id: uuidv7(),
        tenantId: actor.tenantId,
        actorUserId: actor.userId,
        actorKeyId: actor.key?.id ?? null,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        changes: JSON.stringify(entry.changes),
        createdAt: nowIso(),
      },
      tx,
    );
  }
  return {
    record,
    statusChange(actor: Actor, releaseId: string, change: { from: string | null; to: string; via: string; note?: string | null }, tx: Executor = core.db) {
      return record(actor, { action: STATUS_ACTION, entityType: 'release', entityId: releaseId, changes: { ...change, note: change.note ?? null } }, tx);
    },
    async statusHistory(tenantId: string, releaseId: string): Promise<StatusChange[]> {
      const rows = await core.repos.audit.listForEntity(tenantId, 'release', releaseId);
      const changes = rows
        .filter((r) => r.action === STATUS_ACTION)
        .map((r) => {
          const c = parseJson<{ from?: string | null; to?: string; note?: string | null }>(r.changes, {});
          return { from: c.from ?? null, to: c.to ?? '', note: c.note ?? null, at: r.createdAt, by: r.actorUserId };
        });
      // Ids do not order events within one millisecond; each change starts where the previous ended.
      const ordered: StatusChange[] = [];
      while (changes.length) {
        const previous = ordered.at(-1)?.to ?? null;
        const next = changes.findIndex((c) => c.at === changes[0].at && c.from === previous);
        ordered.push(changes.splice(Math.max(next, 0), 1)[0]);
      }
      return ordered;
    },
  };
}
export type AuditTrail = ReturnType<typeof createAuditTrail>;

/** Field-by-field before/after of what a write touched (unchanged fields left out). */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, to] of Object.entries(after)) {
    if (k === 'updatedAt' || k === 'createdAt') continue;
    const from = before ? before[k] : null;
    if (JSON.stringify(from ?? null) !== JSON.stringify(to ?? null)) out[k] = { from: from ?? null, to: to ?? null };
  }
  return out;
}
