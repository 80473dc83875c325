import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { TestApp } from './app.js';

/**
 * A write on a connection of its own, as another process (the CLI, a worker) would make it,
 * then the wait the documented lag allows: a millisecond on SQLite, a notification's trip on
 * PostgreSQL.
 */
export async function writeElsewhere(t: TestApp, text: string, params: unknown[]): Promise<void> {
  const cfg = t.container.config.database;
  if (cfg.kind === 'sqlite') {
    const other = new SQLite(path.resolve(cfg.file));
    try {
      other.prepare(text.replace(/\$\d+/g, '?')).run(...(params as never[]));
    } finally {
      other.close();
    }
    await new Promise((r) => setTimeout(r, 3));
    return;
  }
  const client = new pg.Client({ connectionString: cfg.url, ...(cfg.schema ? { options: `-c search_path=${cfg.schema}` } : {}) });
  await client.connect();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
  await new Promise((r) => setTimeout(r, 100));
}
