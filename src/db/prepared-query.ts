import type { Compilable, CompiledQuery } from 'kysely';
import type { Executor } from './database.js';

/**
 * A query built and compiled once, then run with fresh values for its placeholders. Building
 * and compiling a Kysely query (the camel-case plugin walks it twice) costs several times what
 * a small indexed read costs on SQLite, so a read made on every request of a hot route skips
 * both. Placeholders are sentinel strings given to `build`, found by value in the compiled
 * parameters; the SQL text is the same on a transaction as on the database, and results still
 * pass through the plugins.
 */
export function preparedQuery<R, K extends string>(keys: readonly K[], build: (db: Executor, args: Record<K, string>) => Compilable<R>) {
  const sentinels = Object.fromEntries(keys.map((k) => [k, `\u0000${k}\u0000`])) as Record<K, string>;
  const keyOf = new Map<unknown, K>(keys.map((k) => [sentinels[k], k]));
  let compiled: CompiledQuery<R> | undefined;
  return async (tx: Executor, args: Record<K, unknown>): Promise<R[]> => {
    compiled ??= build(tx, sentinels).compile();
    const parameters = compiled.parameters.map((p) => {
      const key = keyOf.get(p);
      return key === undefined ? p : args[key];
    });
    return (await tx.executeQuery<R>({ ...compiled, parameters })).rows;
  };
}
