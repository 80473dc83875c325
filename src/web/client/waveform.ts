import { formatTime } from './format.js';
import { SKIP_SECONDS } from './keyboard.js';
import { peakAmplitudes, resample, type PeaksData } from './peaks.js';

/**
 * Draws the precomputed overview waveform on a canvas and doubles as the seek slider
 * (`role="slider"`): click or drag to seek, arrow keys to step. Colours come from the
 * canvas's CSS custom properties so each page themes it from its stylesheet.
 */
export interface WaveformCallbacks {
  /** Seek to a fraction (0..1) of the duration. */
  onSeek(fraction: number): void;
  /** Step by a number of seconds (keyboard). */
  onStep(deltaSeconds: number): void;
}

interface Palette {
  base: string;
  played: string;
  hover: string;
}

const BAR_WIDTH = 2;
const BAR_GAP = 1;

export class Waveform {
  private amplitudes: Float32Array | null = null;
  private duration = 0;
  private current = 0;
  private hover: number | null = null;
  private palette: Palette | null = null;
  private lastDrawKey = '';
  private dragging = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly callbacks: WaveformCallbacks,
  ) {
    const observer = new ResizeObserver(() => this.resize());
    observer.observe(canvas);
    // Themes switch colours with the system scheme; re-read them when it changes.
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.refreshPalette());
    canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
    canvas.addEventListener('pointerup', (e) => this.onPointerUp(e));
    canvas.addEventListener('pointercancel', () => (this.dragging = false));
    canvas.addEventListener('pointerleave', () => this.setHover(null));
    canvas.addEventListener('keydown', (e) => this.onKeyDown(e));
    this.resize();
  }

  setPeaks(peaks: PeaksData | null): void {
    this.amplitudes = peakAmplitudes(peaks);
    this.draw(true);
  }

  setDuration(seconds: number): void {
    this.duration = Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
    this.updateAria();
    this.draw();
  }

  setTime(seconds: number): void {
    this.current = Math.max(0, seconds);
    this.updateAria();
    this.draw();
  }

  refreshPalette(): void {
    this.palette = null;
    this.draw(true);
  }

  private get progress(): number {
    return this.duration > 0 ? Math.min(1, this.current / this.duration) : 0;
  }

  private updateAria(): void {
    const c = this.canvas;
    c.setAttribute('aria-valuemin', '0');
    c.setAttribute('aria-valuemax', String(Math.round(this.duration)));
    c.setAttribute('aria-valuenow', String(Math.round(Math.min(this.current, this.duration || this.current))));
    c.setAttribute('aria-valuetext', `${formatTime(this.current)} of ${formatTime(this.duration)}`);
  }

  private resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.canvas.clientWidth * dpr));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * dpr));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.draw(true);
  }

  private readPalette(): Palette {
    if (!this.palette) {
      const style = getComputedStyle(this.canvas);
      const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
      this.palette = {
        base: read('--wave-color', '#9a9aa8'),
        played: read('--wave-played', '#5b3df5'),
        hover: read('--wave-hover', '#8d7cf8'),
      };
    }
    return this.palette;
  }

  private fractionAt(event: PointerEvent): number {
    const rect = this.canvas.getBoundingClientRect();
    return rect.width > 0 ? Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width)) : 0;
  }

  private setHover(fraction: number | null): void {
    this.hover = fraction;
    this.draw();
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    this.dragging = true;
    this.canvas.setPointerCapture?.(event.pointerId);
    this.callbacks.onSeek(this.fractionAt(event));
  }

  private onPointerMove(event: PointerEvent): void {
    const fraction = this.fractionAt(event);
    if (this.dragging) this.callbacks.onSeek(fraction);
    if (event.pointerType === 'mouse') this.setHover(fraction);
  }

  private onPointerUp(event: PointerEvent): void {
    this.dragging = false;
    this.canvas.releasePointerCapture?.(event.pointerId);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const steps: Record<string, number> = {
      ArrowLeft: -SKIP_SECONDS,
      ArrowDown: -SKIP_SECONDS,
      ArrowRight: SKIP_SECONDS,
      ArrowUp: SKIP_SECONDS,
      PageDown: -30,
      PageUp: 30,
    };
    if (event.key in steps) this.callbacks.onStep(steps[event.key]);
    else if (event.key === 'Home') this.callbacks.onSeek(0);
    else if (event.key === 'End') this.callbacks.onSeek(1);
    else return;
    // Handled here; the page-wide shortcut must not apply the same step again.
    event.preventDefault();
    event.stopPropagation();
  }

  /** Redraws only when something visible changed; progress updates arrive every frame. */
  private draw(force = false): void {
    const { width, height } = this.canvas;
    const playedX = Math.round(this.progress * width);
    const hoverX = this.hover === null ? -1 : Math.round(this.hover * width);
    const key = `${width}x${height}:${playedX}:${hoverX}`;
    if (!force && key === this.lastDrawKey) return;
    this.lastDrawKey = key;

    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const bar = Math.max(1, Math.round(BAR_WIDTH * dpr));
    const gap = Math.max(1, Math.round(BAR_GAP * dpr));
    const count = Math.max(1, Math.floor(width / (bar + gap)));
    const levels = this.amplitudes ? resample(this.amplitudes, count) : null;
    const palette = this.readPalette();
    const mid = height / 2;
    const minBar = Math.max(1, Math.round(dpr));

    ctx.clearRect(0, 0, width, height);
    for (let i = 0; i < count; i++) {
      const x = i * (bar + gap);
      // Without peaks the canvas still works as a progress bar: a thin even line.
      const amp = levels ? levels[i] : 0.06;
      const h = Math.max(minBar, amp * (height - 2));
      ctx.fillStyle = x < playedX ? palette.played : hoverX >= 0 && x < hoverX ? palette.hover : palette.base;
      ctx.fillRect(x, Math.round(mid - h / 2), bar, Math.round(h));
    }
  }
}
