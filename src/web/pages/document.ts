import { defaultWebManifest, webAssetPath, type WebEntryName, type WebManifest } from '../assets.js';
import { html, raw, type SafeHtml } from '../html.js';

/**
 * The HTML shell every public page shares: one nonce'd `<style>` block, at most one
 * nonce'd bundle, and head tags that keep private links out of search engines and
 * referrer headers.
 */
export const FONT_STACK = `system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif`;

export const BASE_CSS = `
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:${FONT_STACK};font-size:16px;line-height:1.5;-webkit-font-smoothing:antialiased}
h1,h2,h3,p{margin:0}
button,input{font:inherit;color:inherit}
button{cursor:pointer}
button:disabled{cursor:default;opacity:.5}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
`;

export interface DocumentParts {
  title: string;
  nonce: string;
  css: string;
  body: SafeHtml;
  head?: SafeHtml;
  bodyClass?: string;
  /** Index private pages? Only ever false today, but explicit at each call. */
  indexable: boolean;
  script?: { manifest: WebManifest; entry: WebEntryName };
}

export function resolveManifest(manifest: WebManifest | undefined): WebManifest {
  return manifest ?? defaultWebManifest();
}

export function renderDocument(parts: DocumentParts): string {
  const script = parts.script
    ? html`<script src="${webAssetPath(parts.script.manifest, parts.script.entry)}" nonce="${parts.nonce}" integrity="${parts.script.manifest.entries[parts.script.entry].integrity}" defer></script>`
    : null;
  return (
    '<!doctype html>\n' +
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
${parts.indexable ? null : raw('<meta name="robots" content="noindex, nofollow">\n')}<title>${parts.title}</title>
${parts.head ?? null}
<style nonce="${parts.nonce}">${raw(BASE_CSS + parts.css)}</style>
${script}
</head>
<body${parts.bodyClass ? html` class="${parts.bodyClass}"` : null}>
${parts.body}
</body>
</html>
`.value
  );
}
