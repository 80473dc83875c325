import { randomBytes } from 'node:crypto';

/**
 * Builds the Content-Security-Policy for a rendered page. Everything starts from
 * `default-src 'none'` and each page opens only what it uses, so an injected tag has
 * nothing to load from or talk to.
 */
export interface CspOptions {
  /** Per-response nonce shared by the page's one `<script>` and its `<style>` block. */
  nonce: string;
  /** False for pages that run no JavaScript at all. */
  scripts: boolean;
  mediaOrigins?: readonly string[];
  imageOrigins?: readonly string[];
  connectOrigins?: readonly string[];
  /** Share pages must not be framed (clickjacking); embeds exist to be framed anywhere. */
  frameAncestors: 'none' | '*';
}

export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Reduces a URL to its origin for a source list, or null for relative URLs (covered by
 * 'self') and anything that is not http(s). Going through `URL` also guarantees no `;`
 * or space from stored data can smuggle an extra directive into the header.
 */
export function originOf(url: string | null | undefined): string | null {
  if (!url || url.startsWith('/')) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

function sources(base: string[], extra: readonly string[] | undefined): string {
  const list = [...base];
  for (const candidate of extra ?? []) {
    const origin = originOf(candidate);
    if (origin && !list.includes(origin)) list.push(origin);
  }
  return list.join(' ');
}

export function buildCsp(options: CspOptions): string {
  const nonce = `'nonce-${options.nonce}'`;
  const directives = [
    "default-src 'none'",
    `script-src ${options.scripts ? nonce : "'none'"}`,
    `style-src ${nonce}`,
    `img-src ${sources(["'self'", 'data:'], options.imageOrigins)}`,
    `media-src ${sources(["'self'"], options.mediaOrigins)}`,
    `connect-src ${sources(["'self'"], options.connectOrigins)}`,
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${options.frameAncestors === 'none' ? "'none'" : '*'}`,
  ];
  return directives.join('; ');
}
