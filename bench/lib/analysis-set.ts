/**
 * The labelled signals the analysis benchmark measures: what each one is, what a correct
 * analysis says about it, and how to make it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PITCH_CLASSES } from '../../src/media/key.js';
import * as s from './synth.js';

export type Group = 'click' | 'drums' | 'groove' | 'song' | 'chords' | 'scale' | 'pad' | 'sine' | 'held-chord' | 'speech' | 'noise';

export interface LabelledCase {
  name: string;
  group: Group;
  /** The beat, when the signal has one; null for beatless audio, which must get no tempo; undefined: not judged. */
  bpm?: number | null;
  /** Key the signal is in; null for audio that has none (noise), which must get no key; undefined: not judged. */
  key?: { tonic: number; mode: 'major' | 'minor' } | null;
  /** Either PCM at SYNTH_RATE or a file made elsewhere (speech). */
  make: () => Promise<Float32Array | { file: string }>;
}

const SECONDS = 16;
const MAJOR_TRIADS = [[0, 4, 7], [5, 9, 12], [7, 11, 14], [0, 4, 7]];
/** i-iv-V-i, the dominant major as harmonic minor has it. */
const MINOR_TRIADS = [[0, 3, 7], [5, 8, 12], [7, 11, 14], [0, 3, 7]];
const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11, 12];
const HARMONIC_MINOR_SCALE = [0, 2, 3, 5, 7, 8, 11, 12];

/** Tonic MIDI note placed between A3 and G#4 so every key sits in the same register. */
const tonicNote = (tonic: number) => 57 + ((tonic - 9 + 12) % 12);

function clickTrack(bpm: number): Float32Array {
  const out = s.buffer(SECONDS);
  for (let t = 0.1; t < SECONDS; t += 60 / bpm) s.click(out, t);
  return out;
}

/** Rock beat: kick on 1 and 3, snare on 2 and 4, closed hats on eighths. */
function rockBeat(bpm: number, seed: number): Float32Array {
  const out = s.buffer(SECONDS);
  const random = s.rng(seed);
  const beat = 60 / bpm;
  for (let n = 0, t = 0.1; t < SECONDS; n++, t += beat) {
    if (n % 2 === 0) s.kick(out, t);
    else s.snare(out, t, random);
    s.hat(out, t, random);
    s.hat(out, t + beat / 2, random, 0.15);
  }
  return out;
}

/** Four on the floor, open hat on the off-beat, and a two-chord bed underneath. */
function groove(bpm: number, seed: number): Float32Array {
  const out = s.buffer(SECONDS);
  const random = s.rng(seed);
  const beat = 60 / bpm;
  const root = 48 + (seed % 12);
  for (let n = 0, t = 0.1; t < SECONDS; n++, t += beat) {
    s.kick(out, t, 0.7);
    s.hat(out, t + beat / 2, random, 0.2, 0.06);
    if (n % 8 === 0) s.chord(out, t, beat * 8, (n / 8) % 2 === 0 ? [root, root + 7, root + 16] : [root + 5, root + 9, root + 12], 0.25, { attack: 0.05, release: 0.1, partials: 4 });
  }
  return out;
}

/** A song-like loop: bass, chords and a rock beat; vi-IV-I-V in major, i-VI-III-VII (natural minor) in minor. */
function song(tonic: number, mode: 'major' | 'minor', bpm: number): Float32Array {
  const out = rockBeat(bpm, tonic + 1);
  for (let i = 0; i < out.length; i++) out[i] *= 0.6;
  const root = tonicNote(tonic);
  const roots = mode === 'major' ? [9, 5, 0, 7] : [0, 8, 3, 10];
  const bar = (4 * 60) / bpm;
  for (let i = 0, t = 0.1; t < SECONDS; i++, t += bar) {
    const r = roots[i % 4];
    // vi in major and i in minor are the minor chords; the rest are major.
    const third = r === (mode === 'major' ? 9 : 0) ? 3 : 4;
    s.chord(out, t, bar * 0.95, [root + r, root + r + third, root + r + 7].map((n) => (n > root + 9 ? n - 12 : n)), 0.45, { partials: 5, attack: 0.02, release: 0.1 });
    for (let beat = 0; beat < 4; beat++) s.tone(out, t + (beat * bar) / 4, bar / 4.4, s.midiHz(root - 24 + r), 0.2, { partials: 3 });
  }
  return out;
}

function progression(tonic: number, mode: 'major' | 'minor'): Float32Array {
  const out = s.buffer(SECONDS);
  const root = tonicNote(tonic);
  const triads = mode === 'major' ? MAJOR_TRIADS : MINOR_TRIADS;
  for (let i = 0, t = 0; t < SECONDS - 0.5; i++, t += 2) {
    const triad = triads[i % 4];
    s.chord(out, t, 1.9, [root - 12 + triad[0], ...triad.map((n) => root + n)], 0.6, { partials: 5, attack: 0.03, release: 0.1 });
  }
  return out;
}

/** Up and down the scale, a third of a second a note, the tonic held at each end. */
function scale(tonic: number, mode: 'major' | 'minor'): Float32Array {
  const out = s.buffer(SECONDS);
  const root = tonicNote(tonic);
  const steps = mode === 'major' ? MAJOR_SCALE : HARMONIC_MINOR_SCALE;
  const run = [...steps, ...steps.slice(0, -1).reverse()];
  let t = 0;
  while (t < SECONDS - 1) {
    s.tone(out, t, 0.9, s.midiHz(root), 0.4, { partials: 5 });
    t += 1;
    for (const step of run.slice(1)) {
      if (t >= SECONDS - 0.3) break;
      s.tone(out, t, 0.3, s.midiHz(root + step), 0.4, { partials: 5 });
      t += 1 / 3;
    }
  }
  return out;
}

/** Slow-swelling, chorused chords changing at uneven times: no onset to count. */
function pad(seed: number): Float32Array {
  const out = s.buffer(SECONDS);
  const random = s.rng(seed);
  const root = 48 + (seed % 12);
  const chords = [[0, 7, 16, 19], [5, 12, 16, 21], [-3, 7, 12, 16], [7, 14, 19, 23]];
  let t = 0;
  for (let i = 0; t < SECONDS; i++) {
    const length = 3 + random() * 3;
    s.chord(out, t, length, chords[i % 4].map((n) => root + n), 0.5, { partials: 4, rolloff: 1.5, attack: 1.5, release: 2, detuneCents: 8 });
    t += length;
  }
  return out;
}

function sine(hz: number): Float32Array {
  const out = s.buffer(SECONDS);
  for (let i = 0; i < out.length; i++) out[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / s.SYNTH_RATE);
  return out;
}

function heldChord(tonic: number): Float32Array {
  const out = s.buffer(SECONDS);
  const root = tonicNote(tonic);
  s.chord(out, 0, SECONDS, [root - 12, root, root + 4, root + 7], 0.6, { partials: 5, attack: 0.05 });
  return out;
}

function noise(color: 'white' | 'pink' | 'brown', seed: number): Float32Array {
  const out = s.buffer(SECONDS);
  const random = s.rng(seed);
  if (color === 'white') s.whiteNoise(out, random, 0.3);
  else if (color === 'pink') s.pinkNoise(out, random, 0.5);
  else s.brownNoise(out, random, 0.5);
  return out;
}

const SENTENCES = [
  'The quick brown fox jumps over the lazy dog, and then it runs away into the forest before anyone notices.',
  'Please remember to bring the documents to the meeting on Thursday afternoon, we will need every page of them.',
  'In the middle of the night the old house creaked and groaned, as if it were trying to tell us something important.',
  'Numbers like seventeen, forty two and one hundred and eight were written on the blackboard in bright yellow chalk.',
];

const run = promisify(execFile);

/** Whether espeak-ng can speak here; the speech cases fall back to formant babble when not. */
export async function hasEspeak(): Promise<boolean> {
  try {
    await run('espeak-ng', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** The whole labelled set. `dir` is where spoken files go. */
export function labelledSet(options: { espeak: boolean; dir: string; tempoStep?: number }): LabelledCase[] {
  const cases: LabelledCase[] = [];
  const step = options.tempoStep ?? 10;
  for (let bpm = 60; bpm <= 180; bpm += step) {
    cases.push({ name: `click ${bpm}`, group: 'click', bpm, make: async () => clickTrack(bpm) });
    cases.push({ name: `rock beat ${bpm}`, group: 'drums', bpm, make: async () => rockBeat(bpm, bpm) });
    cases.push({ name: `groove ${bpm}`, group: 'groove', bpm, make: async () => groove(bpm, bpm) });
  }
  for (const mode of ['major', 'minor'] as const) {
    for (let tonic = 0; tonic < 12; tonic++) {
      const key = { tonic, mode };
      const label = `${PITCH_CLASSES[tonic]} ${mode}`;
      const songBpm = 70 + ((tonic * 7 + (mode === 'minor' ? 3 : 0)) % 11) * 10;
      cases.push({ name: `I-IV-V-I ${label}`, group: 'chords', key, make: async () => progression(tonic, mode) });
      cases.push({ name: `scale ${label}`, group: 'scale', key, make: async () => scale(tonic, mode) });
      cases.push({ name: `song ${label} ${songBpm}`, group: 'song', bpm: songBpm, key, make: async () => song(tonic, mode, songBpm) });
    }
  }
  for (let seed = 1; seed <= 8; seed++) cases.push({ name: `pad ${seed}`, group: 'pad', bpm: null, key: { tonic: seed % 12, mode: 'major' }, make: async () => pad(seed) });
  for (const hz of [110, 220, 440, 1000, 3000]) cases.push({ name: `sine ${hz} Hz`, group: 'sine', bpm: null, make: async () => sine(hz) });
  for (const tonic of [0, 4, 7, 9]) cases.push({ name: `held ${PITCH_CLASSES[tonic]} major chord`, group: 'held-chord', bpm: null, make: async () => heldChord(tonic) });
  SENTENCES.forEach((sentence, i) => {
    cases.push({
      name: options.espeak ? `espeak-ng ${i + 1}` : `formant babble ${i + 1}`,
      group: 'speech',
      bpm: null,
      key: null,
      make: options.espeak ? () => speak(sentence, i, options.dir) : async () => babble(i + 1),
    });
  });
  for (const color of ['white', 'pink', 'brown'] as const) {
    for (const seed of [1, 2]) cases.push({ name: `${color} noise ${seed}`, group: 'noise', bpm: null, key: null, make: async () => noise(color, seed) });
  }
  return cases;
}

function babble(seed: number): Float32Array {
  const out = s.buffer(SECONDS);
  s.formantBabble(out, s.rng(seed));
  return s.normalize(out);
}

/** Two readings of a sentence at different speeds and voices, one after the other. */
async function speak(sentence: string, i: number, dir: string): Promise<{ file: string }> {
  const file = `${dir}/speech-${i}.wav`;
  const voice = ['en', 'en-us', 'en-gb', 'en-us+f3'][i % 4];
  await run('espeak-ng', ['-v', voice, '-s', String(140 + 15 * i), '-w', file, `${sentence} ${sentence}`]);
  return { file };
}
