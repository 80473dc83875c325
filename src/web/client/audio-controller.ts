/**
 * Drives one `<audio>` element whose source is resolved lazily on first play (signed
 * URLs are short-lived and fetching one may be counted), remembers seeks made before the
 * audio loads, and re-resolves the source once if it fails mid-way (e.g. expired URL).
 */
export type PlayerState = 'idle' | 'loading' | 'playing' | 'paused' | 'error';

export interface ResolvedSource {
  url: string;
}

export interface AudioControllerEvents {
  onState(state: PlayerState): void;
  onTime(currentSeconds: number, durationSeconds: number): void;
  onEnded?(): void;
  onError?(error: unknown): void;
}

export class AudioController {
  private resolver: (() => Promise<ResolvedSource>) | null = null;
  private loaded = false;
  private pendingTime = 0;
  private knownDuration = 0;
  private state: PlayerState = 'idle';
  private retried = false;
  private wantsPlay = false;
  private frame = 0;

  constructor(
    private readonly audio: HTMLAudioElement,
    private readonly events: AudioControllerEvents,
  ) {
    audio.addEventListener('loadedmetadata', () => {
      if (this.pendingTime > 0) audio.currentTime = Math.min(this.pendingTime, this.duration || this.pendingTime);
      this.pendingTime = 0;
      this.emitTime();
    });
    audio.addEventListener('playing', () => this.setState('playing'));
    audio.addEventListener('waiting', () => this.setState('loading'));
    audio.addEventListener('pause', () => {
      if (this.state !== 'error') this.setState('paused');
    });
    audio.addEventListener('timeupdate', () => this.emitTime());
    audio.addEventListener('durationchange', () => this.emitTime());
    audio.addEventListener('ended', () => {
      this.wantsPlay = false;
      this.setState('paused');
      this.events.onEnded?.();
    });
    audio.addEventListener('error', () => void this.recover());
  }

  /** Sets what to play next; resets position. `durationSeconds` is shown before loading. */
  setSource(resolver: () => Promise<ResolvedSource>, durationSeconds: number | null): void {
    this.audio.pause();
    this.audio.removeAttribute('src');
    this.audio.load();
    this.resolver = resolver;
    this.loaded = false;
    this.retried = false;
    this.pendingTime = 0;
    this.knownDuration = durationSeconds && durationSeconds > 0 ? durationSeconds : 0;
    this.setState('idle');
    this.emitTime();
  }

  get duration(): number {
    const d = this.audio.duration;
    return Number.isFinite(d) && d > 0 ? d : this.knownDuration;
  }

  get currentTime(): number {
    // Until metadata arrives the element reports 0; the requested position is the truth.
    return this.loaded && this.audio.readyState >= HTMLMediaElement.HAVE_METADATA ? this.audio.currentTime : this.pendingTime;
  }

  get playing(): boolean {
    return this.state === 'playing' || (this.state === 'loading' && this.wantsPlay);
  }

  async play(): Promise<void> {
    this.wantsPlay = true;
    try {
      if (!this.loaded) await this.load();
      await this.audio.play();
    } catch (error) {
      this.wantsPlay = false;
      // A user-agent refusal (autoplay policy) is not a failure worth an error message.
      if (error instanceof DOMException && error.name === 'NotAllowedError') {
        this.setState('paused');
        return;
      }
      if (error instanceof DOMException && error.name === 'AbortError') return;
      this.fail(error);
    }
  }

  pause(): void {
    this.wantsPlay = false;
    this.audio.pause();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else void this.play();
  }

  seek(seconds: number): void {
    const duration = this.duration;
    const target = Math.max(0, duration > 0 ? Math.min(seconds, duration) : seconds);
    if (this.loaded && this.audio.readyState >= HTMLMediaElement.HAVE_METADATA) this.audio.currentTime = target;
    else this.pendingTime = target;
    this.emitTime(target);
  }

  seekFraction(fraction: number): void {
    if (this.duration > 0) this.seek(fraction * this.duration);
  }

  skip(deltaSeconds: number): void {
    this.seek(this.currentTime + deltaSeconds);
  }

  private async load(): Promise<void> {
    if (!this.resolver) throw new Error('no source');
    this.setState('loading');
    const { url } = await this.resolver();
    this.audio.src = url;
    this.loaded = true;
  }

  private async recover(): Promise<void> {
    if (!this.loaded) return;
    if (this.retried) {
      this.fail(this.audio.error);
      return;
    }
    this.retried = true;
    this.pendingTime = this.audio.currentTime || this.pendingTime;
    const resume = this.wantsPlay;
    this.loaded = false;
    try {
      await this.load();
      if (resume) await this.audio.play();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.setState('error');
    this.events.onError?.(error);
  }

  private setState(state: PlayerState): void {
    if (state === this.state) return;
    this.state = state;
    this.events.onState(state);
    cancelAnimationFrame(this.frame);
    // timeupdate fires only ~4 times a second; follow the playhead per frame while playing.
    if (state === 'playing') {
      const tick = () => {
        this.emitTime();
        this.frame = requestAnimationFrame(tick);
      };
      this.frame = requestAnimationFrame(tick);
    }
  }

  private emitTime(at?: number): void {
    this.events.onTime(at ?? this.currentTime, this.duration);
  }
}
