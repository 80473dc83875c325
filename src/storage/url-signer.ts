import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';
import {
  assertValidByteSize,
  assertValidContentType,
  assertValidKey,
  assertValidTtl,
} from './key-rules.js';

export type SignedMethod = 'GET' | 'PUT';

/** What a verified URL allows. */
export interface UrlGrant {
  method: SignedMethod;
  key: string;
  expiresAt: number;
  contentType?: string;
  byteSize?: number;
  /** Set instead of byteSize when the URL allows any body up to this many bytes. */
  maxSize?: number;
  downloadName?: string;
}

export interface UrlSignerOptions {
  /** Public origin (and optional path) the app is reachable at, e.g. https://music.example.com */
  publicUrl: string;
  secret: string;
  /** Clock in milliseconds; replaceable so expiry can be exercised. */
  now?: () => number;
}

const signatureInvalid = () => new AppError(403, 'signature_invalid', 'URL signature is invalid');

/**
 * Signs and verifies the URLs the local store hands out in place of S3 presigned URLs.
 * The MAC covers every field that grants something (method, key, expiry, content type,
 * size, download name), so changing any of them in a URL invalidates it.
 */
export class UrlSigner {
  private readonly base: string;
  private readonly key: Buffer;
  private readonly now: () => number;

  constructor(opts: UrlSignerOptions) {
    if (!opts.secret) throw new Error('Storage URL signing needs a non-empty secret');
    let parsed: URL;
    try {
      parsed = new URL(opts.publicUrl);
    } catch {
      throw new Error(`Storage publicUrl is not a valid URL: ${opts.publicUrl}`);
    }
    this.base = parsed.toString().replace(/\/+$/, '');
    // A dedicated subkey keeps these MACs from ever colliding with other uses of the app secret.
    this.key = createHmac('sha256', opts.secret).update('ledgerline:storage-url:v1').digest();
    this.now = opts.now ?? Date.now;
  }

  signGet(key: string, opts: { expiresInSec: number; downloadName?: string; contentType?: string }): string {
    assertValidKey(key);
    assertValidTtl(opts.expiresInSec);
    if (opts.contentType !== undefined) assertValidContentType(opts.contentType);
    const grant: UrlGrant = {
      method: 'GET',
      key,
      expiresAt: this.expiry(opts.expiresInSec),
      contentType: opts.contentType,
      downloadName: opts.downloadName || undefined,
    };
    const q = new URLSearchParams({ m: 'GET', exp: String(grant.expiresAt) });
    if (grant.contentType !== undefined) q.set('ct', grant.contentType);
    if (grant.downloadName !== undefined) q.set('dn', grant.downloadName);
    q.set('sig', this.mac(grant));
    return `${this.base}/storage/${key}?${q.toString()}`;
  }

  signPut(key: string, opts: { expiresInSec: number; contentType: string; byteSize: number; exactSize?: boolean }): { url: string; expiresAt: Date } {
    assertValidKey(key);
    assertValidTtl(opts.expiresInSec);
    assertValidContentType(opts.contentType);
    assertValidByteSize(opts.byteSize);
    const exact = opts.exactSize !== false;
    const grant: UrlGrant = {
      method: 'PUT',
      key,
      expiresAt: this.expiry(opts.expiresInSec),
      contentType: opts.contentType,
      ...(exact ? { byteSize: opts.byteSize } : { maxSize: opts.byteSize }),
    };
    const q = new URLSearchParams({
      m: 'PUT',
      exp: String(grant.expiresAt),
      ct: opts.contentType,
      ...(exact ? { len: String(opts.byteSize) } : { max: String(opts.byteSize) }),
    });
    q.set('sig', this.mac(grant));
    return { url: `${this.base}/storage/${key}?${q.toString()}`, expiresAt: new Date(grant.expiresAt * 1000) };
  }

  /**
   * Checks a request's query against the method and key it actually targets. Any mismatch is
   * 403 signature_invalid; a genuine but stale URL is 403 url_expired.
   */
  verify(method: SignedMethod, key: string, query: unknown): UrlGrant {
    const q = (query ?? {}) as Record<string, unknown>;
    const str = (name: string): string | undefined => {
      const v = q[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'string') throw signatureInvalid(); // repeated parameters are never ours
      return v;
    };
    const m = str('m');
    const exp = str('exp');
    const sig = str('sig');
    if (m !== method || !exp || !/^\d{1,12}$/.test(exp) || !sig || !/^[0-9a-f]{64}$/.test(sig)) {
      throw signatureInvalid();
    }
    const len = str('len');
    if (len !== undefined && !/^\d{1,16}$/.test(len)) throw signatureInvalid();
    const max = str('max');
    if (max !== undefined && (!/^\d{1,16}$/.test(max) || len !== undefined)) throw signatureInvalid();
    const grant: UrlGrant = {
      method,
      key,
      expiresAt: Number(exp),
      contentType: str('ct'),
      byteSize: len === undefined ? undefined : Number(len),
      ...(max === undefined ? {} : { maxSize: Number(max) }),
      downloadName: method === 'GET' ? str('dn') : undefined,
    };
    if (method === 'PUT' && (grant.contentType === undefined || (grant.byteSize === undefined && grant.maxSize === undefined))) throw signatureInvalid();
    const expected = Buffer.from(this.mac(grant), 'hex');
    const given = Buffer.from(sig, 'hex');
    if (!timingSafeEqual(expected, given)) throw signatureInvalid();
    if (grant.expiresAt * 1000 <= this.now()) {
      throw new AppError(403, 'url_expired', 'URL has expired', { details: { expiredAt: new Date(grant.expiresAt * 1000).toISOString() } });
    }
    return grant;
  }

  private expiry(ttlSec: number): number {
    return Math.floor(this.now() / 1000) + ttlSec;
  }

  /** JSON encoding keeps the fields unambiguous whatever characters they contain. */
  private mac(g: UrlGrant): string {
    const fields: unknown[] = [g.method, g.key, g.expiresAt, g.contentType ?? null, g.byteSize ?? null, g.downloadName ?? null];
    // Appended only when present, so URLs signed before maxSize existed keep verifying.
    if (g.maxSize !== undefined) fields.push({ max: g.maxSize });
    return createHmac('sha256', this.key).update(JSON.stringify(fields)).digest('hex');
  }
}
