import { buildCsp, createNonce } from '../csp.js';
import { html, raw, type SafeHtml } from '../html.js';
import type { RenderOptions, RenderedPage, SplitSheetViewModel } from '../view-models.js';
import { renderDocument } from './document.js';
import { SPLIT_SHEET_CSS } from './split-sheet-css.js';

/** `GET /s/split/:token`: a read-only split sheet; no script, prints on one A4 page. */
const percentFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 0 });

export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${percentFormat.format(value)}%` : '—';
}

/** Sums shares without float noise (33.33 + 33.33 + 33.34 must read 100%). */
function total(values: number[]): number {
  return Math.round(values.reduce((sum, v) => sum + (Number.isFinite(v) ? v : 0), 0) * 1e6) / 1e6;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function formatValidatedAt(iso: string | null): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // Built by hand rather than with Intl so the output does not vary with the ICU build.
  const month = MONTHS[date.getUTCMonth()];
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  return `${date.getUTCDate()} ${month} ${date.getUTCFullYear()}, ${time} UTC`;
}

const ICON_OK = raw('<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M9 16.17 4.83 12l-1.42 1.41L9 19 21 7l-1.41-1.41z"/></svg>');
const ICON_WARN = raw('<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z"/></svg>');

/** `idColumns` empty cells stand under PRO/IPI so narrow screens can hide them cleanly. */
function totalRow(label: string, value: number, idColumns = 0): SafeHtml {
  const off = Math.abs(value - 100) > 1e-6;
  const fillers = Array.from({ length: idColumns }, () => html`<td class="ids"></td>`);
  return html`<tfoot><tr><th scope="row">${label}</th>${fillers}<td class="num${off ? ' off' : ''}">${formatPercent(value)}${off ? html`<span class="sr-only"> (should be 100%)</span>` : null}</td></tr></tfoot>`;
}

function emptyRow(colspan: number, text: string): SafeHtml {
  return html`<tr><td colspan="${colspan}" class="empty">${text}</td></tr>`;
}

function masterTable(model: SplitSheetViewModel): SafeHtml {
  const rows = model.master.map((m) => html`<tr><th scope="row">${m.name}</th><td class="num">${formatPercent(m.percentage)}</td></tr>`);
  return html`<section aria-labelledby="master-h"><h2 id="master-h">Master ownership</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">Owner</th><th scope="col" class="num">Share</th></tr></thead>
<tbody>${rows.length ? rows : emptyRow(2, 'No master owners listed.')}</tbody>
${totalRow('Total', total(model.master.map((m) => m.percentage)))}
</table></div></section>`;
}

/** PRO/IPI repeated under the name, shown instead of their columns on narrow screens. */
function writerIds(w: SplitSheetViewModel['writers'][number]): SafeHtml | null {
  const parts = [w.pro, w.ipi ? `IPI ${w.ipi}` : null].filter(Boolean);
  return parts.length ? html`<span class="stacked-ids">${parts.join(' · ')}</span>` : null;
}

function writersTable(model: SplitSheetViewModel): SafeHtml {
  const rows = model.writers.map(
    (w) =>
      html`<tr><th scope="row">${w.name}${writerIds(w)}</th><td class="ids">${w.pro || '—'}</td><td class="ids">${w.ipi || '—'}</td><td class="num">${formatPercent(w.percentage)}</td></tr>`,
  );
  return html`<section aria-labelledby="writers-h"><h2 id="writers-h">Writers</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">Writer</th><th scope="col" class="ids">PRO</th><th scope="col" class="ids">IPI</th><th scope="col" class="num">Share</th></tr></thead>
<tbody>${rows.length ? rows : emptyRow(4, 'No writers listed.')}</tbody>
${totalRow('Total', total(model.writers.map((w) => w.percentage)), 2)}
</table></div></section>`;
}

function publishersTable(model: SplitSheetViewModel): SafeHtml {
  const rows = model.publishers.map(
    (p) => html`<tr><th scope="row">${p.name}</th><td class="num">${formatPercent(p.percentage)}</td></tr>${p.subPublishers.map(
      (s) =>
        html`<tr class="sub"><th scope="row"><span class="sr-only">Sub-publisher of ${p.name}: </span>↳ ${s.name}</th><td class="num">${formatPercent(s.percentage)}</td></tr>`,
    )}`,
  );
  return html`<section aria-labelledby="publishers-h"><h2 id="publishers-h">Publishers</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">Publisher</th><th scope="col" class="num">Share</th></tr></thead>
<tbody>${rows.length ? rows : emptyRow(2, 'No publishers listed.')}</tbody>
${totalRow('Total', total(model.publishers.map((p) => p.percentage)))}
</table></div></section>`;
}

export function renderSplitSheetPage(model: SplitSheetViewModel, options: RenderOptions = {}): RenderedPage {
  const nonce = options.nonce ?? createNonce();
  const validated = formatValidatedAt(model.validatedAt);
  const badge = model.balanced
    ? html`<p class="badge ok" id="balance">${ICON_OK}<span>Balanced</span></p>`
    : html`<p class="badge bad" id="balance">${ICON_WARN}<span>Not balanced</span></p>`;
  const issues = model.issues.length
    ? html`<div class="issues" role="note"><h2>Needs attention</h2><ul>${model.issues.map((i) => html`<li>${i}</li>`)}</ul></div>`
    : null;

  const body = html`<main class="sheet">
<header>
<div><p class="eyebrow">Split sheet</p><h1>${model.trackTitle}</h1><p class="artist">${model.trackArtist}</p></div>
${badge}
</header>
<dl class="facts">
<div><dt>Intended use</dt><dd>${model.intendedUse || '—'}</dd></div>
<div><dt>Address</dt><dd>${model.address || '—'}</dd></div>
<div><dt>Validated</dt><dd>${validated && model.validatedAt ? html`<time datetime="${model.validatedAt}">${validated}</time>` : 'Not validated yet'}</dd></div>
</dl>
${issues}
${masterTable(model)}
${writersTable(model)}
${publishersTable(model)}
</main>
<p class="foot">Read-only copy shared from Ledgerline. Print or save as PDF from your browser.</p>`;

  const page = renderDocument({
    title: `Split sheet — ${model.trackTitle}`,
    nonce,
    css: SPLIT_SHEET_CSS,
    body,
    indexable: false,
  });
  return { html: page, csp: buildCsp({ nonce, scripts: false, frameAncestors: 'none' }) };
}
