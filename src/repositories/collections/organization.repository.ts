import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { OrganizationSettingsTable } from '../../db/tables/collections.js';

export type OrganizationSettingsRow = Selectable<OrganizationSettingsTable>;

/** AudioDN organization settings, one row per tenant (absent until first written). */
export function createOrganizationRepository(db: Executor) {
  return {
    findSettings: (tenantId: string, tx: Executor = db) =>
      tx.selectFrom('organizationSettings').selectAll().where('tenantId', '=', tenantId).executeTakeFirst(),
    upsertSettings: (row: OrganizationSettingsRow, tx: Executor = db) =>
      tx
        .insertInto('organizationSettings')
        .values(row)
        .onConflict((oc) =>
          oc.column('tenantId').doUpdateSet({
            theme: row.theme,
            isThemeOverridable: row.isThemeOverridable,
            isCoverOverridable: row.isCoverOverridable,
            playerColor: row.playerColor,
            playerSubtitle: row.playerSubtitle,
            updatedAt: row.updatedAt,
          }),
        )
        .execute(),
  };
}
export type OrganizationRepository = ReturnType<typeof createOrganizationRepository>;
