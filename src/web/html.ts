/**
 * A minimal escaping template for server-rendered pages. Every interpolated value is
 * escaped unless it is already `SafeHtml` (the result of another `html` call or `raw`),
 * so catalog text such as a track title can never inject markup.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch]);
}

function renderValue(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) {
    out += renderValue(values[i]) + strings[i + 1];
  }
  return new SafeHtml(out);
}

/** Marks trusted markup (for example a constant SVG icon) as safe to insert verbatim. */
export function raw(value: string): SafeHtml {
  return new SafeHtml(value);
}

/**
 * Serialises data for a `<script type="application/json">` block. `<`, `>` and `&` are
 * unicode-escaped so `</script>` or `<!--` inside a string cannot end the block early;
 * U+2028/2029 are escaped because some parsers treat them as line breaks.
 */
export function jsonForScript(value: unknown): SafeHtml {
  const json = JSON.stringify(value) ?? 'null';
  return new SafeHtml(
    json
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}

/**
 * Returns the URL when it is http(s) or a same-origin path, else null. Stops
 * `javascript:` and `data:` URLs from reaching `href`/`src` attributes.
 */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Resolves a possibly relative URL against the public base so it works in link previews. */
export function absoluteUrl(url: string, base: string): string | null {
  const safe = safeUrl(url);
  if (!safe) return null;
  try {
    return new URL(safe, base.endsWith('/') ? base : `${base}/`).href;
  } catch {
    return null;
  }
}

/** Joins the public base URL and an absolute path without doubling or dropping slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
