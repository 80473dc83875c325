import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Every setting Ledgerline reads, validated once. Nothing else reads process.env. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v) || /^sqlite:/.test(v), 'must be postgres://... or sqlite:PATH')
    .optional(),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase SQL identifier').optional(),
  STORAGE_URL: z
    .string()
    .refine((v) => /^(s3|file):\/\//.test(v), 'must be s3://bucket?... or file:///path')
    .optional(),
  PUBLIC_URL: z.url().optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWKS_URL: z.url().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  RUN_MODE: z.enum(['all', 'api', 'worker']).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FFMPEG_PATH: z.string().min(1).optional(),
  FFPROBE_PATH: z.string().min(1).optional(),
  REMOTE_WORKER_URL: z.url().optional(),
  REMOTE_WORKER_SECRET: z.string().min(16).optional(),
  /** This installation's DDEX Party Id (DPID) and name: the sender of every ERN message. */
  DDEX_PARTY_ID: z.string().regex(/^PADPIDA[a-zA-Z0-9]+$/, 'must be a DDEX Party Id (PADPIDA...)').optional(),
  DDEX_PARTY_NAME: z.string().min(1).max(200).default('Ledgerline'),
  DELIVERY_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  HOUSEKEEPING_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  GS1_PREFIX: z.string().regex(/^\d{6,10}$/, 'must be 6 to 10 digits').default('0860000'),
  MAX_AUDIO_BYTES: z.coerce.number().int().positive().default(2 * 1024 ** 3),
  MAX_IMAGE_BYTES: z.coerce.number().int().positive().default(20 * 1024 ** 2),
  MAX_DOCUMENT_BYTES: z.coerce.number().int().positive().default(50 * 1024 ** 2),
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 86400).default(3600),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(86400).default(30),
  PLAYBACK_CODECS: z.string().regex(/^(aac|mp3|ogg|opus)(:\d{2,3})?(,(aac|mp3|ogg|opus)(:\d{2,3})?)*$/).default('aac:128,mp3:128'),
  PUBLIC_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(120).default(10),
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0).max(86400).default(60),
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86400).default(900),
  BODY_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  IDLE_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
  KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
  /** Tenants (or owners) with at least this many track vectors are searched through the similarity index instead of a full scan. */
  SEARCH_INDEX_MIN_TRACKS: z.coerce.number().int().min(1).default(50_000),
  PATH: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string };
  readonly storageUrl?: string;
  readonly publicUrl: string;
  readonly jwt: { readonly secret: string; readonly secretSource: 'env' | 'file' | 'generated'; readonly jwksUrl?: string; readonly issuer?: string };
  readonly runMode: 'all' | 'api' | 'worker';
  readonly logLevel: Env['LOG_LEVEL'];
  readonly media: { readonly ffmpegPath?: string; readonly ffprobePath?: string; readonly searchPath?: string; readonly playbackCodecs: ReadonlyArray<{ codec: 'aac' | 'mp3' | 'ogg' | 'opus'; bitrateKbps: number }> };
  readonly remoteWorker?: { readonly url: string; readonly secret: string };
  readonly gs1Prefix: string;
  /** The sender of DDEX messages; without a party id no message can be built. */
  /** Delivery providers (SFTP hosts, S3 endpoints) may be on private, loopback or link-local addresses only with `allowPrivateProviders`. */
  readonly ddex: { readonly partyId?: string; readonly partyName: string; readonly allowPrivateProviders: boolean };
  readonly limits: { readonly audioBytes: number; readonly imageBytes: number; readonly documentBytes: number; readonly uploadUrlTtlSeconds: number };
  readonly jobConcurrency: number;
  /** How often workers sweep expired upload intents and abandoned pending objects. */
  readonly housekeepingIntervalMs: number;
  /** How long a job may go without its worker's heartbeat before another worker takes it over. */
  readonly jobLeaseSeconds: number;
  readonly publicRateLimit: number;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  readonly trustProxy: boolean;
  /**
   * Webhooks may target loopback, private and link-local addresses only with `allowPrivate`
   * (development only: it opens the inside network to tenants). A receiver that has not answered
   * within `timeoutMs` is cut off; distribution deliveries retry after `retryBaseSeconds`, doubling.
   */
  readonly webhooks: { readonly allowPrivate: boolean; readonly timeoutMs: number; readonly retryBaseSeconds: number };
  /** How long a client may take: a whole request, a buffered body, a silent connection, an idle keep-alive. */
  /** Similar-track search compares every vector below `indexMinTracks` in scope, and visits the nearest lists of an IVF index from there. */
  readonly search: { readonly indexMinTracks: number };
  readonly http: { readonly requestTimeoutMs: number; readonly bodyTimeoutMs: number; readonly idleTimeoutMs: number; readonly keepAliveTimeoutMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment (or the given record) and returns a frozen Config, or throws naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.REMOTE_WORKER_URL && !e.REMOTE_WORKER_SECRET) {
    throw new ConfigError(['REMOTE_WORKER_SECRET: required when REMOTE_WORKER_URL is set']);
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const database: Config['database'] = e.DATABASE_URL?.startsWith('postgres')
    ? { kind: 'postgres', url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA }
    : { kind: 'sqlite', file: e.DATABASE_URL ? sqlitePath(e.DATABASE_URL, dataDir) : path.join(dataDir, 'ledgerline.db') };
  const jwt = resolveJwtSecret(e.JWT_SECRET, dataDir, database.kind);
  const playbackCodecs = e.PLAYBACK_CODECS.split(',').map((part) => {
    const [codec, rate] = part.split(':');
    return { codec: codec as 'aac' | 'mp3' | 'ogg' | 'opus', bitrateKbps: rate ? Number(rate) : 128 };
  });
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database,
    storageUrl: e.STORAGE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    jwt: { ...jwt, jwksUrl: e.JWKS_URL, issuer: e.JWT_ISSUER },
    runMode: e.RUN_MODE,
    logLevel: e.LOG_LEVEL,
    media: { ffmpegPath: e.FFMPEG_PATH, ffprobePath: e.FFPROBE_PATH, searchPath: e.PATH, playbackCodecs },
    remoteWorker: e.REMOTE_WORKER_URL ? { url: e.REMOTE_WORKER_URL, secret: e.REMOTE_WORKER_SECRET! } : undefined,
    gs1Prefix: e.GS1_PREFIX,
    ddex: { partyId: e.DDEX_PARTY_ID, partyName: e.DDEX_PARTY_NAME, allowPrivateProviders: e.DELIVERY_ALLOW_PRIVATE === 'true' },
    limits: {
      audioBytes: e.MAX_AUDIO_BYTES,
      imageBytes: e.MAX_IMAGE_BYTES,
      documentBytes: e.MAX_DOCUMENT_BYTES,
      uploadUrlTtlSeconds: e.UPLOAD_URL_TTL_SECONDS,
    },
    jobConcurrency: e.JOB_CONCURRENCY,
    housekeepingIntervalMs: e.HOUSEKEEPING_INTERVAL_SECONDS * 1000,
    jobLeaseSeconds: e.JOB_LEASE_SECONDS,
    publicRateLimit: e.PUBLIC_RATE_LIMIT,
    trustProxy: e.TRUST_PROXY === 'true',
    webhooks: { allowPrivate: e.WEBHOOK_ALLOW_PRIVATE === 'true', timeoutMs: Math.round(e.WEBHOOK_TIMEOUT_SECONDS * 1000), retryBaseSeconds: e.WEBHOOK_RETRY_BASE_SECONDS },
    search: { indexMinTracks: e.SEARCH_INDEX_MIN_TRACKS },
    http: {
      requestTimeoutMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
      bodyTimeoutMs: Math.round(e.BODY_TIMEOUT_SECONDS * 1000),
      idleTimeoutMs: Math.round(e.IDLE_TIMEOUT_SECONDS * 1000),
      keepAliveTimeoutMs: Math.round(e.KEEP_ALIVE_TIMEOUT_SECONDS * 1000),
    },
  });
}

function sqlitePath(url: string, dataDir: string): string {
  const p = url.replace(/^sqlite:(\/\/)?/, '');
  if (p === ':memory:') return p;
  return path.isAbsolute(p) ? p : path.resolve(dataDir, '..', p);
}

/**
 * In embedded mode a missing JWT_SECRET is generated once and kept beside the data, so tokens
 * survive restarts. A scale-out deployment shares one database across processes and must set it.
 */
function resolveJwtSecret(secret: string | undefined, dataDir: string, dbKind: 'sqlite' | 'postgres') {
  if (secret) return { secret, secretSource: 'env' as const };
  if (dbKind === 'postgres') {
    throw new ConfigError(['JWT_SECRET: required when DATABASE_URL points at PostgreSQL (processes must share it)']);
  }
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), secretSource: 'file' as const };
  mkdirSync(dataDir, { recursive: true });
  const generated = randomBytes(48).toString('base64url');
  writeFileSync(file, generated + '\n', { mode: 0o600 });
  return { secret: generated, secretSource: 'generated' as const };
}
