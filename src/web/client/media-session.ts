import type { AudioController } from './audio-controller.js';

/**
 * Publishes what is playing to the OS (lock screen, media keys, headset buttons).
 * Browsers without the Media Session API simply skip it.
 */
export interface SessionTrack {
  title: string;
  artist: string;
  artworkUrl?: string | null;
}

export interface SessionActions {
  previous?(): void;
  next?(): void;
}

export function publishMediaSession(controller: AudioController, track: SessionTrack, actions: SessionActions = {}): void {
  if (!('mediaSession' in navigator) || typeof MediaMetadata === 'undefined') return;
  const session = navigator.mediaSession;
  session.metadata = new MediaMetadata({
    title: track.title,
    artist: track.artist,
    artwork: track.artworkUrl ? [{ src: track.artworkUrl }] : [],
  });
  const handlers: [MediaSessionAction, MediaSessionActionHandler | null][] = [
    ['play', () => void controller.play()],
    ['pause', () => controller.pause()],
    ['seekbackward', (d) => controller.skip(-(d.seekOffset ?? 5))],
    ['seekforward', (d) => controller.skip(d.seekOffset ?? 5)],
    ['seekto', (d) => d.seekTime !== undefined && controller.seek(d.seekTime)],
    ['previoustrack', actions.previous ? () => actions.previous?.() : null],
    ['nexttrack', actions.next ? () => actions.next?.() : null],
  ];
  for (const [action, handler] of handlers) {
    try {
      session.setActionHandler(action, handler);
    } catch {
      // Unsupported actions throw in some browsers; the rest still work.
    }
  }
}
