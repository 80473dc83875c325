import { buildCsp, createNonce, originOf } from '../csp.js';
import { absoluteUrl, html, joinUrl, jsonForScript, safeUrl, type SafeHtml } from '../html.js';
import type { RenderOptions, RenderedPage, TrackShareViewModel } from '../view-models.js';
import { renderDocument, resolveManifest } from './document.js';
import { ICON_DOWNLOAD, ICON_LOCK, ICON_NOTE } from './icons.js';
import { PLAYER_CSS, playButton, waveformSlider } from './player-markup.js';
import { TRACK_SHARE_CSS } from './track-share-css.js';

/**
 * `GET /s/:token`: the private page for one shared track. A gated link renders only the
 * access-code form; the track's details arrive from `api.card` once the code is right.
 */
const SITE_NAME = 'Ledgerline';
const GATED_TITLE = 'Protected track';

function openGraph(model: TrackShareViewModel): SafeHtml {
  const pageUrl = joinUrl(model.publicUrl, `/s/${encodeURIComponent(model.token)}`);
  if (model.requiresAccessCode) {
    // Link previews must not reveal what an access code protects.
    return html`<meta property="og:site_name" content="${SITE_NAME}">
<meta property="og:type" content="website">
<meta property="og:title" content="${GATED_TITLE}">
<meta property="og:description" content="Enter the access code to listen.">
<meta property="og:url" content="${pageUrl}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${GATED_TITLE}">`;
  }
  const title = `${model.title} — ${model.artist}`;
  const image = model.artworkUrl ? absoluteUrl(model.artworkUrl, model.publicUrl) : null;
  const seconds = model.durationMs && model.durationMs > 0 ? Math.round(model.durationMs / 1000) : null;
  return html`<meta property="og:site_name" content="${SITE_NAME}">
<meta property="og:type" content="music.song">
<meta property="og:title" content="${title}">
<meta property="og:description" content="${`Listen to ${model.title} by ${model.artist}.`}">
<meta property="og:url" content="${pageUrl}">
${seconds === null ? null : html`<meta property="music:duration" content="${seconds}">\n`}${
    image
      ? html`<meta property="og:image" content="${image}">
<meta property="og:image:alt" content="${`Artwork for ${model.title}`}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:image" content="${image}">`
      : html`<meta name="twitter:card" content="summary">`
  }
<meta name="twitter:title" content="${title}">
<meta name="twitter:description" content="${`Listen to ${model.title} by ${model.artist}.`}">`;
}

function artwork(model: TrackShareViewModel): SafeHtml {
  const src = model.requiresAccessCode ? null : safeUrl(model.artworkUrl);
  return html`<div class="art">
${src ? html`<img id="artwork" src="${src}" alt="${`Artwork for ${model.title}`}" width="600" height="600" decoding="async">
` : null}<div id="artwork-placeholder" class="art-placeholder"${src ? html` hidden` : null}>${ICON_NOTE}</div>
</div>`;
}

function gateForm(): SafeHtml {
  return html`<form id="gate" class="gate" novalidate>
<h1>This track is protected</h1>
<p class="hint">Enter the access code you were given to listen.</p>
<label for="access-code">Access code</label>
<div class="row">
<input id="access-code" name="code" type="text" inputmode="text" autocomplete="off" autocapitalize="off" spellcheck="false" aria-describedby="gate-error">
<button type="submit" class="btn primary">Unlock</button>
</div>
<p id="gate-error" class="error" role="alert" hidden></p>
</form>`;
}

function player(model: TrackShareViewModel): SafeHtml {
  const gated = model.requiresAccessCode;
  const download =
    model.allowDownload && !gated
      ? html`<button type="button" id="download" class="btn">${ICON_DOWNLOAD}<span>Download</span></button>`
      : null;
  return html`<section id="player" class="player" aria-label="Player"${gated ? html` hidden` : null}>
<div class="controls">
${playButton()}
${waveformSlider(gated ? null : model.durationMs, 'Seek')}
</div>
<div id="actions" class="actions">${download}</div>
<p id="status" class="status" role="status" aria-live="polite"></p>
<audio id="audio" preload="none"></audio>
</section>`;
}

export function renderTrackSharePage(model: TrackShareViewModel, options: RenderOptions = {}): RenderedPage {
  const nonce = options.nonce ?? createNonce();
  const manifest = resolveManifest(options.manifest);
  const gated = model.requiresAccessCode;
  const clientData = {
    token: model.token,
    requiresAccessCode: gated,
    allowDownload: gated ? false : model.allowDownload,
    durationMs: gated ? null : model.durationMs,
    peaks: gated ? null : model.peaks,
    api: model.api,
  };

  const body = html`<main class="card">
${artwork(model)}
<div class="body">
<p class="eyebrow">${ICON_LOCK}<span>Private track</span></p>
<div id="track-info"${gated ? html` hidden` : null}>
<h1 id="title">${gated ? '' : model.title}</h1>
<p id="artist" class="artist">${gated ? '' : model.artist}</p>
</div>
${gated ? gateForm() : null}
${player(model)}
</div>
</main>
<p class="foot">Shared privately with ${SITE_NAME}. Please don’t pass this link on.<span class="keys"> · <kbd>Space</kbd> play/pause · <kbd>←</kbd> <kbd>→</kbd> skip 5 s</span></p>
<script type="application/json" id="ll-data">${jsonForScript(clientData)}</script>`;

  const page = renderDocument({
    title: gated ? GATED_TITLE : `${model.title} — ${model.artist}`,
    nonce,
    css: PLAYER_CSS + TRACK_SHARE_CSS,
    head: openGraph(model),
    body,
    indexable: false,
    script: { manifest, entry: 'share' },
  });

  const apiUrls = [model.api.card, model.api.playbackUrl, model.api.downloadUrl, model.api.events];
  const artworkOrigin = gated ? null : originOf(model.artworkUrl);
  const csp = buildCsp({
    nonce,
    scripts: true,
    mediaOrigins: model.mediaOrigins,
    imageOrigins: [...(model.imageOrigins ?? []), ...(artworkOrigin ? [artworkOrigin] : [])],
    connectOrigins: apiUrls.filter((url) => originOf(url) !== null),
    frameAncestors: 'none',
  });
  return { html: page, csp };
}
