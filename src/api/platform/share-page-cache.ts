import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { SharePageCard, SharePageSource } from '../../services/workspace/share-page-source.js';

/** One rendered share page, with its compressed copies made on first demand. */
export interface PreparedPage {
  csp: string;
  /** Strong validator of the uncompressed bytes; each content coding adds its suffix. */
  etag: string;
  html: Buffer;
  encoded(coding: ContentCoding): Buffer;
}
export type ContentCoding = 'br' | 'gzip';

/**
 * A page keeps its signed artwork URL (an hour's lifetime) for at most five minutes, so the
 * URL a visitor gets always has 55 minutes left.
 */
const MAX_AGE_MS = 5 * 60_000;
const MAX_ENTRIES = 1_000;

/**
 * Rendered share pages by link, each kept under the fingerprint of what it was rendered from
 * (`SharePageSource`). A request reads the link afresh and is served the kept page only when
 * its fingerprint is the kept one, so the page is never staler than the read; counting the
 * view, and refusing a dead link, happen on every request before this cache is asked.
 */
export function createSharePageCache(opts: { maxEntries?: number; maxAgeMs?: number; now?: () => number } = {}) {
  const max = opts.maxEntries ?? MAX_ENTRIES;
  const maxAgeMs = opts.maxAgeMs ?? MAX_AGE_MS;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, { fingerprint: string; at: number; page: Promise<PreparedPage> }>();

  function page(source: SharePageSource, render: (card: SharePageCard) => { html: string; csp: string }): Promise<PreparedPage> {
    const hit = entries.get(source.linkId);
    if (hit && hit.fingerprint === source.fingerprint && now() - hit.at < maxAgeMs) return hit.page;
    // Requests arriving while this render runs share it: they read the same fingerprint.
    const entry = { fingerprint: source.fingerprint, at: now(), page: null as unknown as Promise<PreparedPage> };
    entry.page = source.load().then(({ card, fingerprint }) => {
      // A lane written since the request's read: keep the page under what it was rendered from.
      entry.fingerprint = fingerprint;
      return prepare(render(card));
    });
    entry.page.catch(() => {
      if (entries.get(source.linkId) === entry) entries.delete(source.linkId);
    });
    entries.delete(source.linkId);
    if (entries.size >= max) entries.delete(entries.keys().next().value!);
    entries.set(source.linkId, entry);
    return entry.page;
  }

  return { page, clear: () => entries.clear() };
}
export type SharePageCache = ReturnType<typeof createSharePageCache>;

function prepare(rendered: { html: string; csp: string }): PreparedPage {
  const html = Buffer.from(rendered.html, 'utf8');
  const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"`;
  const copies: Partial<Record<ContentCoding, Buffer>> = {};
  return {
    csp: rendered.csp,
    etag,
    html,
    encoded(coding) {
      copies[coding] ??=
        coding === 'br'
          ? brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: html.length } })
          : gzipSync(html);
      return copies[coding];
    },
  };
}

/** The representation a request gets: brotli, then gzip, when Accept-Encoding allows it; identity otherwise. */
export function chooseCoding(acceptEncoding: string | string[] | undefined): ContentCoding | null {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  const allowed = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    allowed.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (coding: string) => (allowed.get(coding) ?? (allowed.get('*') ?? 0)) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

export const etagOf = (page: PreparedPage, coding: ContentCoding | null): string => (coding ? `${page.etag.slice(0, -1)}-${coding}"` : page.etag);

/** If-None-Match matches any representation of this page (weak comparison, as RFC 9110 asks for this header). */
export function notModified(ifNoneMatch: string | undefined, page: PreparedPage): boolean {
  if (!ifNoneMatch) return false;
  const mine = new Set([etagOf(page, null), etagOf(page, 'gzip'), etagOf(page, 'br')]);
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || mine.has(t.startsWith('W/') ? t.slice(2) : t);
  });
}
