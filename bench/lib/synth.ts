/**
 * In-process PCM synthesis for the analysis benchmark: clicks, drum kits, harmonic tones,
 * pads, noises and a speech-like signal, all mono float at one rate, seeded so every run
 * hears the same thing.
 */
import { writeFile } from 'node:fs/promises';

export const SYNTH_RATE = 22050;

export type Rng = () => number;

/** mulberry32: small, fast, good enough for test signals. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const midiHz = (note: number): number => 440 * 2 ** ((note - 69) / 12);

export function buffer(seconds: number): Float32Array {
  return new Float32Array(Math.round(seconds * SYNTH_RATE));
}

/** Adds `gain * fn(t)` for t in [0, seconds) starting at `start` seconds. */
function addAt(out: Float32Array, start: number, seconds: number, fn: (t: number, i: number) => number): void {
  const from = Math.round(start * SYNTH_RATE);
  const count = Math.min(Math.round(seconds * SYNTH_RATE), out.length - from);
  for (let i = 0; i < count; i++) if (from + i >= 0) out[from + i] += fn(i / SYNTH_RATE, i);
}

/** A 15 ms 1 kHz burst, the metronome's click. */
export function click(out: Float32Array, at: number, gain = 0.7): void {
  addAt(out, at, 0.015, (t) => gain * Math.sin(2 * Math.PI * 1000 * t));
}

/** A pitch-dropping sine thump. */
export function kick(out: Float32Array, at: number, gain = 0.8): void {
  let phase = 0;
  addAt(out, at, 0.3, (t) => {
    phase += (2 * Math.PI * (50 + 90 * Math.exp(-t / 0.03))) / SYNTH_RATE;
    return gain * Math.exp(-t / 0.09) * Math.sin(phase);
  });
}

export function snare(out: Float32Array, at: number, random: Rng, gain = 0.5): void {
  addAt(out, at, 0.2, (t) => gain * Math.exp(-t / 0.05) * (0.7 * (random() * 2 - 1) + 0.3 * Math.sin(2 * Math.PI * 190 * t)));
}

/** High-passed (first difference of) noise with a short decay. */
export function hat(out: Float32Array, at: number, random: Rng, gain = 0.25, decay = 0.02): void {
  let last = 0;
  addAt(out, at, decay * 5, (t) => {
    const n = random() * 2 - 1;
    const v = n - last;
    last = n;
    return gain * 0.5 * Math.exp(-t / decay) * v;
  });
}

export interface ToneShape {
  /** Partials 1..n with amplitude 1/k^rolloff. */
  partials?: number;
  rolloff?: number;
  attack?: number;
  release?: number;
  /** Cents of detune of a second voice (chorus), 0 for none. */
  detuneCents?: number;
}

/** A harmonic note with a linear attack and release. */
export function tone(out: Float32Array, at: number, seconds: number, hz: number, gain: number, shape: ToneShape = {}): void {
  const partials = shape.partials ?? 6;
  const rolloff = shape.rolloff ?? 1;
  const attack = shape.attack ?? 0.01;
  const release = shape.release ?? 0.05;
  const detune = shape.detuneCents ?? 0;
  const nyquist = SYNTH_RATE / 2;
  const voices = detune ? [hz * 2 ** (-detune / 2400), hz * 2 ** (detune / 2400)] : [hz];
  const amps: Array<[number, number]> = [];
  for (const f of voices) for (let k = 1; k <= partials && k * f < nyquist * 0.9; k++) amps.push([2 * Math.PI * k * f, 1 / k ** rolloff / voices.length]);
  addAt(out, at, seconds + release, (t) => {
    const env = Math.min(1, t / attack) * (t > seconds ? Math.max(0, 1 - (t - seconds) / release) : 1);
    if (env === 0) return 0;
    let v = 0;
    for (const [w, a] of amps) v += a * Math.sin(w * t);
    return gain * env * v;
  });
}

export function chord(out: Float32Array, at: number, seconds: number, notes: number[], gain: number, shape?: ToneShape): void {
  for (const n of notes) tone(out, at, seconds, midiHz(n), gain / notes.length, shape);
}

export function whiteNoise(out: Float32Array, random: Rng, gain: number): void {
  for (let i = 0; i < out.length; i++) out[i] += gain * (random() * 2 - 1);
}

/** Paul Kellet's economy pink filter over white noise. */
export function pinkNoise(out: Float32Array, random: Rng, gain: number): void {
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < out.length; i++) {
    const w = random() * 2 - 1;
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    out[i] += gain * 0.25 * (b0 + b1 + b2 + w * 0.1848);
  }
}

/** Leaky-integrated white noise. */
export function brownNoise(out: Float32Array, random: Rng, gain: number): void {
  let v = 0;
  for (let i = 0; i < out.length; i++) {
    v = 0.998 * v + 0.04 * (random() * 2 - 1);
    out[i] += gain * v;
  }
}

/**
 * A speech-like signal without a speech synthesizer: a glottal pulse train with a wandering
 * pitch and noise bursts, through two formant resonators that jump from "vowel" to "vowel" at
 * irregular syllable lengths (90–320 ms), with pauses between phrases.
 */
export function formantBabble(out: Float32Array, random: Rng, gain = 0.5): void {
  const vowels: Array<[number, number]> = [[730, 1090], [270, 2290], [530, 1840], [570, 840], [300, 870], [660, 1720], [440, 1020]];
  const resonator = (hz: number, bandwidth: number) => {
    const r = Math.exp((-Math.PI * bandwidth) / SYNTH_RATE);
    return { a1: 2 * r * Math.cos((2 * Math.PI * hz) / SYNTH_RATE), a2: -r * r, y1: 0, y2: 0 };
  };
  let i = 0;
  let phase = 0;
  let f1 = resonator(500, 90);
  let f2 = resonator(1500, 120);
  while (i < out.length) {
    const phrase = Math.round((0.8 + random() * 2.2) * SYNTH_RATE);
    const phraseEnd = Math.min(out.length, i + phrase);
    while (i < phraseEnd) {
      const [v1, v2] = vowels[Math.floor(random() * vowels.length)];
      f1 = { ...resonator(v1, 90), y1: f1.y1, y2: f1.y2 };
      f2 = { ...resonator(v2, 120), y1: f2.y1, y2: f2.y2 };
      const syllable = Math.round((0.09 + random() * 0.23) * SYNTH_RATE);
      const voiced = random() < 0.8;
      const f0 = 95 + random() * 60;
      const end = Math.min(phraseEnd, i + syllable);
      const length = end - i;
      for (let k = 0; i < end; i++, k++) {
        const env = Math.sin((Math.PI * k) / length) ** 0.5;
        phase += (f0 * (1 + 0.05 * Math.sin((2 * Math.PI * k) / length))) / SYNTH_RATE;
        let excitation = 0.1 * (random() * 2 - 1);
        if (voiced && phase >= 1) {
          phase -= 1;
          excitation += 1;
        }
        const y = excitation + f1.a1 * f1.y1 + f1.a2 * f1.y2;
        f1.y2 = f1.y1;
        f1.y1 = y;
        const z = excitation + f2.a1 * f2.y1 + f2.a2 * f2.y2;
        f2.y2 = f2.y1;
        f2.y1 = z;
        out[i] += gain * 0.02 * env * (y + 0.6 * z);
      }
    }
    i = Math.min(out.length, i + Math.round((0.2 + random() * 0.5) * SYNTH_RATE));
  }
}

/** Scales the signal so its peak is `peak` (no-op for silence). */
export function normalize(samples: Float32Array, peak = 0.9): Float32Array {
  let max = 0;
  for (const v of samples) max = Math.max(max, Math.abs(v));
  if (max > 0) for (let i = 0; i < samples.length; i++) samples[i] *= peak / max;
  return samples;
}

/** 16-bit mono PCM WAV, read by the analysis without ffmpeg. */
export async function writeWav(path: string, samples: Float32Array, sampleRate = SYNTH_RATE): Promise<string> {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  await writeFile(path, Buffer.concat([header, data]));
  return path;
}
