import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { freePort } from '../../test/helpers/server-process.js';

export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Drives one URL with autocannon on loopback and returns throughput and latency percentiles (ms). */
export async function load(url: string, opts: { connections?: number; duration?: number; headers?: Record<string, string>; method?: 'GET' | 'POST' | 'PUT'; body?: string } = {}): Promise<LoadResult> {
  const r = await autocannon({
    url,
    connections: opts.connections ?? 20,
    duration: opts.duration ?? 5,
    headers: opts.headers,
    method: opts.method ?? 'GET',
    body: opts.body,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p95: r.latency.p97_5 ?? r.latency.p99, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

export interface Comparison {
  subject: LoadResult;
  baseline: LoadResult;
  /** Median of the per-round throughput ratios (subject / baseline). */
  ratio: number;
  ratios: number[];
}

/**
 * Throughput of `url` against `baselineUrl`, run alternately for `rounds` rounds so that a
 * change in the machine's load lands on both sides; the figures are the median round's.
 */
export async function compare(
  baselineUrl: string,
  url: string,
  opts: { rounds?: number; duration?: number; connections?: number; headers?: Record<string, string> } = {},
): Promise<Comparison> {
  const rounds: Array<{ subject: LoadResult; baseline: LoadResult; ratio: number }> = [];
  for (let i = 0; i < (opts.rounds ?? 3); i++) {
    const baseline = await load(baselineUrl, { duration: opts.duration, connections: opts.connections });
    const subject = await load(url, { duration: opts.duration, connections: opts.connections, headers: opts.headers });
    if (subject.non2xx || subject.errors) throw new Error(`${url}: ${subject.non2xx} non-2xx responses and ${subject.errors} errors`);
    rounds.push({ subject, baseline, ratio: subject.rps / baseline.rps });
  }
  const sorted = [...rounds].sort((a, b) => a.ratio - b.ratio);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { ...median, ratios: rounds.map((r) => r.ratio) };
}

/** A bare Fastify server answering one route with a fixed body: the baseline every benchmark compares against. */
export async function bareServer(body: string, contentType = 'application/json; charset=utf-8'): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/bare', async (_req, reply) => reply.header('content-type', contentType).send(body));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/bare`, close: () => app.close() };
}

export interface BenchApp {
  app: FastifyInstance;
  container: Container;
  base: string;
  close(): Promise<void>;
}

/** The real application on a temp data directory (SQLite unless env says otherwise), listening on loopback. */
export async function realApp(env: Record<string, string> = {}): Promise<BenchApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'll-bench-'));
  // Signed URLs carry PUBLIC_URL, so the port is chosen before the app is built.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: String(port), PUBLIC_URL: base, JWT_SECRET: 'bench-secret-bench-secret-bench-secret-01', PATH: process.env.PATH ?? '', ...env });
  const container = await createContainer(config);
  const app = await buildApp(container, { logger: false });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    container,
    base,
    async close() {
      await app.close();
      await container.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The real application on PostgreSQL when BENCH_DATABASE_URL is set (a schema of its own,
 * dropped on close), on SQLite otherwise.
 */
export async function benchApp(env: Record<string, string> = {}): Promise<BenchApp> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return realApp(env);
  const schema = `bench_${Date.now().toString(36)}`;
  const app = await realApp({ DATABASE_URL: url, DATABASE_SCHEMA: schema, ...env });
  return {
    ...app,
    async close() {
      await app.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  };
}

/** A tenant with a server API key and one AudioDN collection: the key's headers and the collection's id. */
export async function serverKeyWithCollection(bench: BenchApp, collection: Record<string, unknown> = { title: 'Bench' }) {
  const { identity } = bench.container.services;
  const tenant = await identity.createTenant({ name: 'bench' });
  const { key } = await identity.createApiKey({ tenantId: tenant.id, type: 'server' });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const created = await fetch(`${bench.base}/v1/collection`, { method: 'POST', headers, body: JSON.stringify(collection) });
  const collectionId = ((await created.json()) as { collection_id: string }).collection_id;
  return { tenant, headers, collectionId };
}

/** A tenant on the pro plan with one member: the member's token headers. */
export async function memberHeaders(bench: BenchApp) {
  const { identity } = bench.container.services;
  const tenant = await identity.createTenant({ name: 'bench', plan: 'pro' });
  const user = await identity.findOrCreateUser(tenant.id, { name: 'owner', role: 'member' });
  const token = await identity.issueToken(user);
  return { tenant, user, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
}

export function printLine(name: string, fields: Record<string, string | number>): void {
  process.stdout.write(`${name}: ${Object.entries(fields).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
}
