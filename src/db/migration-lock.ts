/** The advisory lock key every process takes before creating or migrating a schema (one per schema). */
export const migrationLockKey = (schema: string): string => `ledgerline:migrate:${schema}`;
