import { byId, readJsonData } from './dom.js';
import { publishMediaSession } from './media-session.js';
import type { PeaksData } from './peaks.js';
import { bindPlayer, playerElements } from './player-ui.js';

/** Script for the embeddable players (`/embed/track/:id`, `/embed/collection/:id`). */
interface EmbedClientTrack {
  id: string;
  title: string;
  subtitle: string;
  durationMs: number | null;
  streamUrl: string;
  peaks: PeaksData | null;
}

interface EmbedClientData {
  kind: 'track' | 'collection';
  coverUrl: string | null;
  tracks: EmbedClientTrack[];
}

const data = readJsonData<EmbedClientData>('ll-data');
const tracks = data.tracks;
const titleEl = byId('track-title');
const subtitleEl = byId('track-subtitle');
const prev = document.getElementById('prev') as HTMLButtonElement | null;
const next = document.getElementById('next') as HTMLButtonElement | null;
const items = Array.from(document.querySelectorAll<HTMLButtonElement>('#playlist button[data-index]'));
let index = 0;

const { controller, waveform } = bindPlayer(
  playerElements(),
  {
    // Collections continue with the next track; the last one just stops.
    onEnded: () => {
      if (index < tracks.length - 1) select(index + 1, true);
    },
  },
);

function select(i: number, autoplay: boolean): void {
  const track = tracks[i];
  if (!track) return;
  index = i;
  titleEl.textContent = track.title;
  subtitleEl.textContent = track.subtitle;
  waveform.setPeaks(track.peaks);
  controller.setSource(async () => ({ url: track.streamUrl }), track.durationMs === null ? null : track.durationMs / 1000);
  items.forEach((item, n) => {
    if (n === i) item.setAttribute('aria-current', 'true');
    else item.removeAttribute('aria-current');
  });
  if (prev) prev.disabled = i === 0;
  if (next) next.disabled = i === tracks.length - 1;
  publishMediaSession(
    controller,
    { title: track.title, artist: track.subtitle, artworkUrl: data.coverUrl },
    tracks.length > 1 ? { previous: () => select(Math.max(0, index - 1), controller.playing), next: () => select(Math.min(tracks.length - 1, index + 1), controller.playing) } : {},
  );
  if (autoplay) void controller.play();
}

prev?.addEventListener('click', () => select(index - 1, controller.playing));
next?.addEventListener('click', () => select(index + 1, controller.playing));
items.forEach((item) => {
  item.addEventListener('click', () => {
    const i = Number(item.dataset.index);
    if (i === index) controller.toggle();
    else select(i, true);
  });
});

if (tracks.length > 0) select(0, false);
