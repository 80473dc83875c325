/**
 * Recognises a unique-constraint violation from either driver and names the index, so
 * services can translate it into a domain error (`upc_taken`) instead of leaking SQL.
 */
export function uniqueViolation(err: unknown): string | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505') return e.constraint ?? 'unique';
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const m = /UNIQUE constraint failed: (.+)$/.exec(e.message ?? '');
    return m ? m[1] : 'unique';
  }
  return null;
}
