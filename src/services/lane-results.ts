import type { AudioProbe } from '../media/probe.js';

/** What each processing lane stores as its result (processing_lanes.result). */
export interface ProbeResult {
  durationMs: number | null;
  bitrate: number | null;
  sampleRate: number | null;
  channels: number | null;
  codec: string | null;
  container: string | null;
  mimeType: string | null;
  fileSize: number;
  tags: { title?: string; artist?: string; album?: string; isrc?: string; trackNumber?: number; lyrics?: string; bpm?: number; key?: string; genre?: string };
  hasArtwork: boolean;
}

/** What the probe lane keeps of a probe: the stream facts, the tags, and whether art is embedded. */
export function toProbeResult(p: AudioProbe): ProbeResult {
  return {
    durationMs: p.durationMs ?? null, bitrate: p.bitrate ?? null, sampleRate: p.sampleRate ?? null, channels: p.channels ?? null, codec: p.codec ?? null,
    container: p.container ?? null, mimeType: p.mimeType ?? null, fileSize: p.fileSize, tags: p.tags ?? {}, hasArtwork: !!p.artwork,
  };
}

/**
 * A probe already made of these very bytes, kept in the asset's metadata: by an intake that
 * probed the file on receipt (release media, products) or by an earlier attempt of the lane.
 * Anything else there (a client's metadata, another size) is not taken for one.
 */
export function storedProbe(metadata: string | null | undefined, size: number | null | undefined): ProbeResult | null {
  if (!metadata || size === null || size === undefined) return null;
  let m: unknown;
  try {
    m = JSON.parse(metadata);
  } catch {
    return null;
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) return null;
  const r = m as Partial<ProbeResult>;
  const ok = r.fileSize === size && typeof r.durationMs === 'number' && r.durationMs > 0 && typeof r.codec === 'string' && typeof r.hasArtwork === 'boolean' && !!r.tags && typeof r.tags === 'object';
  return ok ? (r as ProbeResult) : null;
}

export interface WaveformLevel {
  samplesPerPixel: number;
  length: number;
  storageKey: string;
}

/** audiowaveform version 2 JSON. */
export interface AudiowaveformV2 {
  version: 2;
  channels: number;
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8 | 16;
  length: number;
  data: number[];
}

export interface WaveformResult {
  levels: WaveformLevel[];
  /** The fixed 320-point overview players draw first. */
  overview: AudiowaveformV2;
}

/**
 * The tags lane's result. `bpm` and `key`/`mode` are what the lane publishes (copied onto the
 * track, shown by every surface): null when the analysis was not confident enough. The raw
 * estimates and the evidence behind the confidences are kept beside them (docs/analysis.md);
 * results stored before the estimates were kept have only the published fields.
 */
export interface TagsResult {
  bpm: number | null;
  bpmEstimate?: number | null;
  bpmConfidence: number;
  key: string | null;
  mode: 'major' | 'minor' | null;
  keyEstimate?: string | null;
  modeEstimate?: 'major' | 'minor' | null;
  keyConfidence: number;
  evidence?: { periodicity: number; pulseStrength: number; keyMargin: number; chromaContrast: number };
  loudnessLufs: number | null;
  truePeakDb: number | null;
}

export interface Rendition {
  codec: 'aac' | 'mp3' | 'ogg' | 'opus';
  bitrateKbps: number;
  storageKey: string;
  mimeType: string;
  fileSize: number;
  durationMs: number | null;
}

export interface PlaybackResult {
  renditions: Rendition[];
}

export interface LyricsResult {
  source: 'embedded' | 'remote' | 'none';
}

/**
 * The track's tempo and key as a tags result publishes them: only the published fields count,
 * never the estimates kept beside them, so a withheld value is null on every surface.
 */
export function publishedTags(tags: Partial<TagsResult> | null | undefined): { bpm: number | null; musicalKey: string | null } {
  const bpm = typeof tags?.bpm === 'number' && Number.isFinite(tags.bpm) ? Math.round(tags.bpm * 10) / 10 : null;
  const musicalKey = tags?.key ? `${tags.key} ${tags.mode ?? ''}`.trim() : null;
  return { bpm, musicalKey };
}
