import { byId, readJsonData } from './dom.js';
import { publishMediaSession } from './media-session.js';
import type { PeaksData } from './peaks.js';
import { bindPlayer, playerElements } from './player-ui.js';
import { ShareApi, ShareApiError, type ShareCard, type ShareEndpoints } from './share-api.js';

/** Script for the private track page (`/s/:token`). */
interface ShareClientData {
  token: string;
  requiresAccessCode: boolean;
  allowDownload: boolean;
  durationMs: number | null;
  peaks: PeaksData | null;
  api: ShareEndpoints;
}

interface PlayerInfo {
  allowDownload: boolean;
  durationMs: number | null;
  peaks: PeaksData | null;
}

const DOWNLOAD_BUTTON_CONTENT =
  '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false"><path fill="currentColor" d="M11 4h2v9.17l3.59-3.58L18 11l-6 6-6-6 1.41-1.41L11 13.17zM5 19h14v2H5z"/></svg><span>Download</span>';

const data = readJsonData<ShareClientData>('ll-data');
const api = new ShareApi(data.api, data.token);
const status = byId('status');

function startPlayer(info: PlayerInfo): void {
  byId('player').hidden = false;
  const { controller, waveform } = bindPlayer(
    playerElements(),
    { onFirstPlay: () => api.sendPlayEvent() },
  );
  waveform.setPeaks(info.peaks);
  const artwork = document.getElementById('artwork') as HTMLImageElement | null;
  publishMediaSession(controller, {
    title: byId('title').textContent ?? '',
    artist: byId('artist').textContent ?? '',
    artworkUrl: artwork?.src ?? null,
  });
  controller.setSource(async () => api.playback(), info.durationMs === null ? null : info.durationMs / 1000);
  if (info.allowDownload) setupDownload();
}

function setupDownload(): void {
  let button = document.getElementById('download') as HTMLButtonElement | null;
  if (!button) {
    // Gated links learn whether downloads are allowed only after unlocking.
    button = document.createElement('button');
    button.type = 'button';
    button.id = 'download';
    button.className = 'btn';
    button.innerHTML = DOWNLOAD_BUTTON_CONTENT;
    byId('actions').append(button);
  }
  const target = button;
  target.addEventListener('click', async () => {
    target.disabled = true;
    status.textContent = 'Preparing download…';
    try {
      const { url } = await api.download();
      status.textContent = '';
      window.location.assign(url);
    } catch {
      status.textContent = 'The download could not be started. Please try again.';
    } finally {
      target.disabled = false;
    }
  });
}

function reveal(card: ShareCard): void {
  const { track } = card;
  byId('title').textContent = track.title;
  byId('artist').textContent = track.artist;
  document.title = `${track.title} — ${track.artist}`;
  if (track.artworkUrl) {
    const img = document.createElement('img');
    img.id = 'artwork';
    img.width = img.height = 600;
    img.decoding = 'async';
    img.alt = `Artwork for ${track.title}`;
    img.src = track.artworkUrl;
    const placeholder = byId('artwork-placeholder');
    placeholder.before(img);
    placeholder.hidden = true;
  }
  byId('gate').hidden = true;
  byId('track-info').hidden = false;
  startPlayer({ allowDownload: card.link.allowDownload, durationMs: track.durationMs, peaks: card.peaks });
}

function gateMessage(error: unknown): string {
  if (error instanceof ShareApiError) {
    if (error.status === 403) return 'That access code is not right. Check it and try again.';
    if (error.status === 429) return 'Too many attempts. Wait a minute and try again.';
    if (error.status === 404 || error.status === 410) return 'This link is no longer available.';
  }
  return 'Something went wrong. Please try again.';
}

function setupGate(): void {
  const form = byId<HTMLFormElement>('gate');
  const input = byId<HTMLInputElement>('access-code');
  const error = byId('gate-error');
  const submit = form.querySelector('button[type="submit"]') as HTMLButtonElement;

  const showError = (message: string) => {
    error.textContent = message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    input.select();
  };

  const attempt = async (code: string, remembered: boolean) => {
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const card = await api.unlock(code);
      reveal(card);
      byId('play').focus();
    } catch (err) {
      // A remembered code that stopped working (changed or revoked) just asks again.
      if (remembered && err instanceof ShareApiError && err.status === 403) api.forgetCode();
      else showError(gateMessage(err));
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = input.value.trim();
    if (!code) {
      showError('Enter the access code you were given.');
      return;
    }
    void attempt(code, false);
  });
  input.addEventListener('input', () => {
    error.hidden = true;
    input.removeAttribute('aria-invalid');
  });

  const remembered = api.storedCode;
  if (remembered) void attempt(remembered, true);
}

if (data.requiresAccessCode) setupGate();
else startPlayer({ allowDownload: data.allowDownload, durationMs: data.durationMs, peaks: data.peaks });
