export { analyzeAudio, computePeaks, ANALYSIS_RATE, type AnalysisTags, type AudioAnalysis, type PcmSummary, type PeaksResult } from './analyze.js';
export { inputArgs, sniffContainer, sniffFile, type SniffedContainer, type SniffedFormat } from './container-sniff.js';
export { cosineSimilarity, EMBEDDING_LENGTH } from './embeddings.js';
export {
  createMediaTools,
  type BinarySource,
  type MediaTools,
  type MediaToolsOptions,
  type ResolvedBinary,
  type RunOptions,
  type RunResult,
  type StreamHandle,
} from './ffmpeg.js';
export { deriveColorVariants, dominantColor } from './image.js';
export { isMediaError, MediaError, type MediaErrorCode } from './media-error.js';
export { decodePcm, type DecodeOptions, type PcmFormat, type PcmInfo } from './pcm.js';
export { DEFAULT_ZOOM_LEVELS, OVERVIEW_POINTS, PeaksBuilder, type AudiowaveformV2, type PeaksOptions } from './peaks.js';
export { probeAudio, type AudioProbe, type AudioTags } from './probe.js';
export { transcode, type PlaybackCodec, type TranscodeOptions, type TranscodeResult } from './transcode.js';
