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
  tags: { title?: string; artist?: string; album?: string; isrc?: string; lyrics?: string; bpm?: number; key?: string; genre?: string };
  hasArtwork: boolean;
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

export interface TagsResult {
  bpm: number | null;
  bpmConfidence: number;
  key: string | null;
  mode: 'major' | 'minor' | null;
  keyConfidence: number;
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
