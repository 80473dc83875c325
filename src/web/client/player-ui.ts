import { AudioController, type PlayerState } from './audio-controller.js';
import { byId } from './dom.js';
import { formatTime } from './format.js';
import { installMediaKeys } from './keyboard.js';
import { Waveform } from './waveform.js';

/**
 * Wires the shared player markup (play button, waveform slider, time labels) to an
 * audio controller. Both the share page and the embeds use it.
 */
export interface PlayerElements {
  audio: HTMLAudioElement;
  play: HTMLButtonElement;
  canvas: HTMLCanvasElement;
  elapsed: HTMLElement;
  total: HTMLElement;
  status: HTMLElement;
}

/** The elements of the shared player markup (pages/player-markup.ts), by their ids. */
export const playerElements = (): PlayerElements => ({
  audio: byId<HTMLAudioElement>('audio'),
  play: byId<HTMLButtonElement>('play'),
  canvas: byId<HTMLCanvasElement>('wave'),
  elapsed: byId('elapsed'),
  total: byId('total'),
  status: byId('status'),
});

export interface PlayerHooks {
  onFirstPlay?(): void;
  onEnded?(): void;
}

export interface BoundPlayer {
  controller: AudioController;
  waveform: Waveform;
}

export function bindPlayer(el: PlayerElements, hooks: PlayerHooks = {}): BoundPlayer {
  let started = false;
  const waveform = new Waveform(el.canvas, {
    onSeek: (fraction) => controller.seekFraction(fraction),
    onStep: (delta) => controller.skip(delta),
  });

  const showState = (state: PlayerState) => {
    const active = state === 'playing' || (state === 'loading' && controller.playing);
    el.play.dataset.state = state === 'loading' ? 'loading' : active ? 'playing' : 'paused';
    el.play.setAttribute('aria-label', active ? 'Pause' : 'Play');
    el.play.setAttribute('aria-busy', String(state === 'loading'));
    if (state === 'playing' && !started) {
      started = true;
      hooks.onFirstPlay?.();
    }
    if (state === 'playing') el.status.textContent = '';
  };

  const controller = new AudioController(el.audio, {
    onState: showState,
    onTime: (current, duration) => {
      el.elapsed.textContent = formatTime(current);
      el.total.textContent = formatTime(duration);
      waveform.setDuration(duration);
      waveform.setTime(current);
    },
    onEnded: () => hooks.onEnded?.(),
    onError: () => {
      el.status.textContent = 'Playback failed. Please try again.';
    },
  });

  el.play.addEventListener('click', () => controller.toggle());
  installMediaKeys({ toggle: () => controller.toggle(), skip: (d) => controller.skip(d) });
  return { controller, waveform };
}
