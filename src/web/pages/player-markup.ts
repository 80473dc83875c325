import { html, type SafeHtml } from '../html.js';
import { ICON_PAUSE, ICON_PLAY } from './icons.js';

/**
 * Markup and styles of the play button + waveform slider + time labels, shared by the
 * share page and the embeds. The ids are what `client/player-ui.ts` binds to.
 */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms <= 0) return '0:00';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function playButton(): SafeHtml {
  return html`<button type="button" id="play" class="play" aria-label="Play" data-state="paused">${ICON_PLAY}${ICON_PAUSE}<span class="spinner" aria-hidden="true"></span></button>`;
}

export function waveformSlider(durationMs: number | null, label: string): SafeHtml {
  const total = durationMs && durationMs > 0 ? Math.round(durationMs / 1000) : 0;
  return html`<div class="wave-wrap">
<canvas id="wave" class="wave" role="slider" tabindex="0" aria-label="${label}" aria-valuemin="0" aria-valuemax="${total}" aria-valuenow="0" aria-valuetext="0:00 of ${formatDuration(durationMs)}"></canvas>
<div class="times"><span id="elapsed">0:00</span><span id="total">${formatDuration(durationMs)}</span></div>
</div>`;
}

export const PLAYER_CSS = `
.play{flex:none;position:relative;display:grid;place-items:center;width:var(--play-size,56px);height:var(--play-size,56px);padding:0;border:0;border-radius:50%;background:var(--accent);color:var(--on-accent);transition:transform .12s ease,filter .12s ease}
.play:hover{filter:brightness(1.08)}
.play:active{transform:scale(.95)}
.play svg{width:45%;height:45%}
.play .i-pause,.play .spinner{display:none}
.play[data-state=playing] .i-play,.play[data-state=loading] .i-play{display:none}
.play[data-state=playing] .i-pause{display:block}
.play[data-state=loading] .spinner{display:block;width:40%;height:40%;border-radius:50%;border:3px solid currentColor;border-right-color:transparent;animation:ll-spin .8s linear infinite}
@keyframes ll-spin{to{transform:rotate(360deg)}}
.wave-wrap{flex:1;min-width:0}
.wave{display:block;width:100%;height:var(--wave-height,64px);cursor:pointer;touch-action:pan-y;border-radius:4px}
.times{display:flex;justify-content:space-between;margin-top:2px;font-size:.8125rem;color:var(--muted);font-variant-numeric:tabular-nums}
`;
