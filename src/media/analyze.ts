import { Decimator } from './decimator.js';
import { EmbeddingBuilder } from './embeddings.js';
import type { MediaTools } from './ffmpeg.js';
import { KeyEstimator, type PitchClass } from './key.js';
import { LoudnessMeter } from './loudness.js';
import { decodePcm, type DecodeOptions, type PcmFormat, type PcmInfo } from './pcm.js';
import { PeaksBuilder, type AudiowaveformV2, type PeaksOptions } from './peaks.js';
import { TempoEstimator } from './tempo.js';
import { TruePeakMeter } from './true-peak.js';

export interface PcmSummary extends PcmInfo {
  durationMs: number;
}

export interface PeaksResult {
  /** No channel layout: ffmpeg mixes to mono itself on this path. */
  pcm: Pick<PcmSummary, 'sampleRate' | 'totalSamples' | 'durationMs'>;
  /** One per zoom level, finest first, then the 320-point overview. */
  waveforms: AudiowaveformV2[];
}

export interface AnalysisTags {
  /** Published tempo: null when the signal has no beat to be sure of (docs/analysis.md). */
  bpm: number | null;
  /** The tempo estimate behind `bpm`, kept when `bpm` is withheld. */
  bpmEstimate: number | null;
  bpmConfidence: number;
  /** Published key and mode: null when the signal has no clear key. */
  key: PitchClass | null;
  mode: 'major' | 'minor' | null;
  /** The key estimate behind `key`, kept when `key` is withheld. */
  keyEstimate: PitchClass | null;
  modeEstimate: 'major' | 'minor' | null;
  keyConfidence: number;
  /** The measures the two confidences are made of. */
  evidence: { periodicity: number; pulseStrength: number; keyMargin: number; chromaContrast: number };
  /** Integrated loudness (EBU R128); null for silence. */
  loudnessLufs: number | null;
  /** dBTP; null for digital silence. */
  truePeakDb: number | null;
}

export interface AudioAnalysis {
  pcm: PcmSummary;
  /** One per zoom level, finest first, then the 320-point overview. */
  waveforms: AudiowaveformV2[];
  tags: AnalysisTags;
  /** EMBEDDING_LENGTH values, L2-normalised. */
  embedding: number[];
}

type RunOptions = Pick<DecodeOptions, 'signal' | 'timeoutMs'>;

/** Tempo, key and embeddings run on the signal brought down to about this rate. */
export const ANALYSIS_RATE = 11025;

/**
 * Everything the tags, waveform and embeddings lanes need, from one decode: peaks and loudness
 * see the native signal, the other analyses a decimated copy.
 */
export async function analyzeAudio(tools: MediaTools, filePath: string, options: RunOptions & PeaksOptions = {}): Promise<AudioAnalysis> {
  let stages: ReturnType<typeof analysisStages> | undefined;
  const info = await decodePcm(tools, filePath, (samples) => stages!.mono(samples), {
    ...options,
    onFormat: (format) => (stages = analysisStages(format, options)),
    onChannels: (channels) => stages!.channels(channels),
  });
  const { peaks, loudness, truePeak, tempo, key, embedding } = stages!;
  const beat = tempo.result();
  const tonality = key.result();
  return {
    pcm: summary(info),
    waveforms: peaks.finish(),
    tags: {
      bpm: beat.bpm,
      bpmEstimate: beat.estimate,
      bpmConfidence: beat.confidence,
      key: tonality.key,
      mode: tonality.mode,
      keyEstimate: tonality.estimate?.key ?? null,
      modeEstimate: tonality.estimate?.mode ?? null,
      keyConfidence: tonality.confidence,
      evidence: { periodicity: beat.periodicity, pulseStrength: beat.pulseStrength, keyMargin: tonality.margin, chromaContrast: tonality.chromaContrast },
      loudnessLufs: round(loudness.integratedLufs()),
      truePeakDb: round(truePeak.truePeakDb()),
    },
    embedding: embedding.result(),
  };
}

function analysisStages(format: PcmFormat, options: PeaksOptions) {
  const peaks = new PeaksBuilder(format.sampleRate, options);
  const loudness = new LoudnessMeter(format.sampleRate, format.channels, format.channelMask);
  const truePeak = new TruePeakMeter(format.channels);
  const decimator = new Decimator(format.sampleRate, ANALYSIS_RATE, (samples) => {
    tempo.push(samples);
    key.push(samples);
    embedding.push(samples);
  });
  const tempo = new TempoEstimator(decimator.outputRate);
  const key = new KeyEstimator(decimator.outputRate);
  const embedding = new EmbeddingBuilder(decimator.outputRate);
  return {
    peaks,
    loudness,
    truePeak,
    tempo,
    key,
    embedding,
    mono(samples: Float32Array) {
      peaks.push(samples);
      decimator.push(samples);
    },
    channels(channels: Float32Array[]) {
      loudness.push(channels);
      truePeak.push(channels);
    },
  };
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

/** Peaks only: the waveform lane's path, one decode and nothing else. */
export async function computePeaks(tools: MediaTools, filePath: string, options: RunOptions & PeaksOptions = {}): Promise<PeaksResult> {
  let peaks: PeaksBuilder | undefined;
  const info = await decodePcm(tools, filePath, (samples) => peaks!.push(samples), {
    ...options,
    onFormat: ({ sampleRate }) => (peaks = new PeaksBuilder(sampleRate, options)),
  });
  const { sampleRate, totalSamples, durationMs } = summary(info);
  return { pcm: { sampleRate, totalSamples, durationMs }, waveforms: peaks!.finish() };
}

function summary(info: PcmInfo): PcmSummary {
  return { ...info, durationMs: Math.round((info.totalSamples / info.sampleRate) * 1000) };
}
