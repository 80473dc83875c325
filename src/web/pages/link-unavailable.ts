import { buildCsp, createNonce } from '../csp.js';
import { html, safeUrl } from '../html.js';
import type { LinkUnavailableViewModel, RenderOptions, RenderedPage } from '../view-models.js';
import { renderDocument } from './document.js';
import { ICON_UNAVAILABLE } from './icons.js';

/**
 * Shown (with status 404) for expired, revoked or unknown share links. It deliberately
 * says nothing about which of those applies, so tokens cannot be probed.
 */
const CSS = `
:root{--bg:#f3f2f7;--surface:#fff;--text:#17161c;--muted:#5d5b69;--border:#d9d7e3;--accent:#5a3ff0;--focus:#5a3ff0;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0e0d12;--surface:#1a1921;--text:#f3f2f8;--muted:#aeabbd;--border:#34323f;--accent:#a393ff;--focus:#c2b8ff}}
body{min-height:100vh;min-height:100dvh;display:grid;place-items:center;padding:24px 16px;background:var(--bg);color:var(--text)}
main{width:100%;max-width:480px;padding:36px 28px;text-align:center;background:var(--surface);border:1px solid var(--border);border-radius:20px}
.icon{display:inline-grid;place-items:center;width:64px;height:64px;margin-bottom:18px;border-radius:50%;background:var(--bg);color:var(--accent)}
.icon svg{width:30px;height:30px}
h1{font-size:1.5rem;line-height:1.2}
p{margin-top:10px;color:var(--muted)}
a{color:var(--accent);font-weight:600}
`;

export function renderLinkUnavailablePage(model: LinkUnavailableViewModel, options: RenderOptions = {}): RenderedPage {
  const nonce = options.nonce ?? createNonce();
  const home = safeUrl(model.publicUrl);
  const body = html`<main>
<div class="icon" aria-hidden="true">${ICON_UNAVAILABLE}</div>
<h1>This link is no longer available</h1>
<p>It may have expired or been switched off by the person who shared it. If you still need the music, ask them for a new link.</p>
${home ? html`<p><a href="${home}">Go to ${new URL(home, 'http://localhost').host}</a></p>` : null}
</main>`;
  const page = renderDocument({ title: 'Link no longer available', nonce, css: CSS, body, indexable: false });
  return { html: page, csp: buildCsp({ nonce, scripts: false, frameAncestors: 'none' }) };
}
