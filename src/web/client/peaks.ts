/**
 * Turns audiowaveform v2 overview data (interleaved min/max integers per point and
 * channel) into per-point amplitudes in 0..1, merging channels. The browser never
 * decodes audio to draw the waveform; this is all it gets.
 */
export interface PeaksData {
  data: number[];
  bits: 8 | 16;
  length: number;
}

export function peakAmplitudes(peaks: PeaksData | null | undefined): Float32Array | null {
  if (!peaks || !Array.isArray(peaks.data) || !(peaks.length > 0)) return null;
  const { data, length } = peaks;
  const scale = peaks.bits === 16 ? 32768 : 128;
  const channels = Math.max(1, Math.floor(data.length / (2 * length)));
  const points = Math.min(length, Math.floor(data.length / (2 * channels)));
  if (points === 0) return null;
  const out = new Float32Array(points);
  let loudest = 0;
  for (let i = 0; i < points; i++) {
    let amp = 0;
    for (let c = 0; c < channels; c++) {
      const at = (i * channels + c) * 2;
      amp = Math.max(amp, Math.abs(Number(data[at]) || 0), Math.abs(Number(data[at + 1]) || 0));
    }
    out[i] = Math.min(1, amp / scale);
    loudest = Math.max(loudest, out[i]);
  }
  // Quiet masters would draw as a flat line; stretch so the loudest point fills the
  // height while keeping relative dynamics.
  if (loudest > 0 && loudest < 0.95) {
    const gain = 0.95 / loudest;
    for (let i = 0; i < points; i++) out[i] *= gain;
  }
  return out;
}

/** Resamples amplitudes to `bars` values, keeping each bucket's maximum so transients survive. */
export function resample(amplitudes: Float32Array, bars: number): Float32Array {
  const out = new Float32Array(bars);
  const step = amplitudes.length / bars;
  for (let b = 0; b < bars; b++) {
    const from = Math.floor(b * step);
    const to = Math.max(from + 1, Math.floor((b + 1) * step));
    let max = 0;
    for (let i = from; i < to && i < amplitudes.length; i++) max = Math.max(max, amplitudes[i]);
    out[b] = max;
  }
  return out;
}
