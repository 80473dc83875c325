/**
 * Data the public HTML pages are rendered from. Routes build these from the catalog and
 * pass them to the render functions in `pages/`; nothing else from the catalog reaches
 * the browser.
 */

/** audiowaveform "v2" overview data: interleaved min/max pairs, one pair per point. */
export interface WaveformPeaks {
  data: number[];
  bits: 8 | 16;
  /** Number of min/max pairs (the overview uses 320). */
  length: number;
}

export interface TrackShareApi {
  /** GET; returns the card JSON. Sends `x-access-code` when the link is gated. */
  card: string;
  /** GET; returns `{ url, expiresAt, mimeType }` for the audio element. */
  playbackUrl: string;
  /** GET; returns `{ url }` to navigate to. */
  downloadUrl: string;
  /** POST `{ type: "play" }` once per page load. */
  events: string;
}

export interface TrackShareViewModel {
  token: string;
  title: string;
  artist: string;
  artworkUrl: string | null;
  durationMs: number | null;
  peaks: WaveformPeaks | null;
  allowDownload: boolean;
  /**
   * When true the page shows only the access-code form: title, artist, artwork and peaks
   * are withheld from the HTML and link previews, and arrive with the card JSON once the
   * right code is entered.
   */
  requiresAccessCode: boolean;
  /** Absolute base URL of the server, e.g. `https://music.example.com`. */
  publicUrl: string;
  api: TrackShareApi;
  /** Origins the signed playback URLs point at (object storage); `'self'` is always allowed. */
  mediaOrigins?: string[];
  /**
   * Extra origins artwork may come from. Needed for gated links, whose artwork URL is only
   * known after unlocking; the origin of `artworkUrl` is added automatically.
   */
  imageOrigins?: string[];
}

export interface LinkUnavailableViewModel {
  publicUrl: string;
}

export interface SplitSheetMasterShare {
  name: string;
  percentage: number;
}

export interface SplitSheetWriterShare {
  name: string;
  pro?: string | null;
  ipi?: string | null;
  percentage: number;
}

export interface SplitSheetPublisherShare {
  name: string;
  percentage: number;
  subPublishers: { name: string; percentage: number }[];
}

export interface SplitSheetViewModel {
  trackTitle: string;
  trackArtist: string;
  address: string;
  intendedUse: string;
  master: SplitSheetMasterShare[];
  writers: SplitSheetWriterShare[];
  publishers: SplitSheetPublisherShare[];
  balanced: boolean;
  issues: string[];
  /** ISO 8601 timestamp of the last validation, or null when never validated. */
  validatedAt: string | null;
}

export interface EmbedTrack {
  id: string;
  title: string;
  subtitle: string;
  durationMs: number | null;
  streamUrl: string;
  peaks: WaveformPeaks | null;
}

export interface EmbedViewModel {
  kind: 'track' | 'collection';
  title: string;
  subtitle: string;
  /**
   * Accent colour (buttons, played part of the waveform). Colours are `#rgb`, `#rrggbb`
   * or `rgb(r, g, b)`; anything else falls back to the default theme colour.
   */
  color: string;
  /** Background under `prefers-color-scheme: light`. */
  colorLight: string;
  /** Background under `prefers-color-scheme: dark`. */
  colorDark: string;
  coverUrl: string | null;
  tracks: EmbedTrack[];
}

/** Options shared by every render function; routes normally pass none. */
export interface RenderOptions {
  /** Fixed nonce, for reproducible output in tests; a random one is made per render otherwise. */
  nonce?: string;
  /** Asset manifest to link scripts from; defaults to the built `src/web/dist/manifest.json`. */
  manifest?: import('./assets.js').WebManifest;
}

export interface RenderedPage {
  html: string;
  /** Value for the `Content-Security-Policy` response header. */
  csp: string;
}
