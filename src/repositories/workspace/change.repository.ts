import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

/** When anything a track card shows last changed in a tenant, whichever surface or lane changed it. */
export function createChangeRepository(db: Executor) {
  return {
    async fingerprint(tenantId: string, tx: Executor = db): Promise<string> {
      const { rows } = await sql<{ tracks: string | null; assets: string | null; lanes: string | null }>`select
        (select max(updated_at) from tracks where tenant_id = ${tenantId}) as tracks,
        (select max(updated_at) from assets where tenant_id = ${tenantId}) as assets,
        (select max(updated_at) from processing_lanes where tenant_id = ${tenantId}) as lanes`.execute(tx);
      const r = rows[0];
      return `${r?.tracks ?? ''}|${r?.assets ?? ''}|${r?.lanes ?? ''}`;
    },
  };
}
export type ChangeRepository = ReturnType<typeof createChangeRepository>;
