import { buildCsp, createNonce, originOf } from '../csp.js';
import { html, jsonForScript, safeUrl, type SafeHtml } from '../html.js';
import type { EmbedTrack, EmbedViewModel, RenderOptions, RenderedPage } from '../view-models.js';
import { renderDocument, resolveManifest } from './document.js';
import { EMBED_CSS } from './embed-css.js';
import { ICON_NEXT, ICON_NOTE, ICON_PREVIOUS } from './icons.js';
import { PLAYER_CSS, formatDuration, playButton, waveformSlider } from './player-markup.js';
import { embedThemeCss } from './theme.js';

/**
 * `GET /embed/track/:id` and `GET /embed/collection/:id`: a compact themed player meant
 * to be framed by any site (`frame-ancestors *`).
 */
function cover(model: EmbedViewModel): SafeHtml {
  const src = safeUrl(model.coverUrl);
  return html`<div class="cover">${
    src
      ? html`<img src="${src}" alt="${`Cover of ${model.title}`}" width="208" height="208" decoding="async">`
      : html`<div class="ph" aria-hidden="true">${ICON_NOTE}</div>`
  }</div>`;
}

function playlist(tracks: EmbedTrack[]): SafeHtml {
  return html`<ol id="playlist" class="playlist" aria-label="Tracks">${tracks.map(
    (t, i) =>
      html`<li><button type="button" data-index="${i}"${i === 0 ? html` aria-current="true"` : null} aria-label="${`Play ${t.title} by ${t.subtitle}`}"><span class="n">${i + 1}</span><span class="t">${t.title}<small>${t.subtitle}</small></span><span class="d">${formatDuration(t.durationMs)}</span></button></li>`,
  )}</ol>`;
}

export function renderEmbedPlayer(model: EmbedViewModel, options: RenderOptions = {}): RenderedPage {
  const nonce = options.nonce ?? createNonce();
  const manifest = resolveManifest(options.manifest);
  const isCollection = model.kind === 'collection';
  const first = model.tracks[0] ?? null;
  // Only what the player needs goes to the browser.
  const tracks = model.tracks.map((t) => ({
    id: t.id,
    title: t.title,
    subtitle: t.subtitle,
    durationMs: t.durationMs,
    streamUrl: safeUrl(t.streamUrl) ?? '',
    peaks: t.peaks,
  }));
  const clientData = { kind: model.kind, coverUrl: safeUrl(model.coverUrl), tracks };

  const body = html`<main class="embed" aria-label="${`${model.title} player`}">
<div class="top">
${cover(model)}
<div class="meta">
${isCollection ? html`<p class="context">${model.title}${model.subtitle ? html` · ${model.subtitle}` : null}</p>` : null}
<h1 id="track-title">${first ? first.title : model.title}</h1>
<p id="track-subtitle" class="sub">${first ? first.subtitle : model.subtitle}</p>
</div>
<div class="controls">
${isCollection ? html`<button type="button" id="prev" class="skip" aria-label="Previous track" disabled>${ICON_PREVIOUS}</button>` : null}
${playButton()}
${isCollection ? html`<button type="button" id="next" class="skip" aria-label="Next track"${model.tracks.length < 2 ? html` disabled` : null}>${ICON_NEXT}</button>` : null}
${waveformSlider(first ? first.durationMs : null, 'Seek')}
</div>
</div>
<p id="status" class="status" role="status" aria-live="polite">${first ? null : 'Nothing to play yet.'}</p>
${isCollection ? playlist(model.tracks) : null}
<audio id="audio" preload="none"></audio>
</main>
<script type="application/json" id="ll-data">${jsonForScript(clientData)}</script>`;

  const page = renderDocument({
    title: model.subtitle ? `${model.title} — ${model.subtitle}` : model.title,
    nonce,
    css: embedThemeCss(model) + PLAYER_CSS + EMBED_CSS,
    body,
    bodyClass: `kind-${model.kind}`,
    indexable: false,
    script: { manifest, entry: 'embed-player' },
  });
  const csp = buildCsp({
    nonce,
    scripts: true,
    mediaOrigins: tracks.map((t) => t.streamUrl).filter((u) => originOf(u) !== null),
    imageOrigins: model.coverUrl ? [model.coverUrl] : [],
    frameAncestors: '*',
  });
  return { html: page, csp };
}
