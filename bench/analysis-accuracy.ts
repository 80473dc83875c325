/**
 * Accuracy of the tempo and key analysis on a labelled synthetic set, and how often it
 * publishes a value where there is none to publish.
 * Run: npx tsx bench/analysis-accuracy.ts [--verbose] [--step=BPM]
 * Synthesises (in process, seeded) click tracks, rock beats, four-on-the-floor grooves and
 * song-like loops at 60-180 BPM, chord progressions and scales in all 24 keys, beatless pads,
 * sines, held chords, noise and speech (espeak-ng when installed, else formant babble), writes
 * each as a 16-bit WAV and runs `analyzeAudio`, the analysis the tags lane runs. Prints what
 * was published (not the raw estimates): tempo within 2 % (octave errors apart), key exact /
 * relative / fifth / other, and the false-tempo and false-key rates. It reports; it never
 * fails the run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeAudio, type AnalysisTags } from '../src/media/analyze.js';
import { createMediaTools } from '../src/media/ffmpeg.js';
import { MIN_KEY_CONFIDENCE, PITCH_CLASSES } from '../src/media/key.js';
import { MIN_TEMPO_CONFIDENCE } from '../src/media/tempo.js';
import { hasEspeak, labelledSet, type Group, type LabelledCase } from './lib/analysis-set.js';
import { seconds } from './lib/report.js';
import { writeWav } from './lib/synth.js';

const TEMPO_TOLERANCE = 0.02;

type TempoOutcome = 'correct' | 'double' | 'half' | 'other' | 'withheld';
type KeyOutcome = 'exact' | 'relative' | 'fifth' | 'other' | 'withheld';

function tempoOutcome(truth: number, found: number | null): TempoOutcome {
  if (found === null) return 'withheld';
  const near = (target: number) => Math.abs(found - target) <= TEMPO_TOLERANCE * target;
  if (near(truth)) return 'correct';
  if (near(truth * 2)) return 'double';
  if (near(truth / 2)) return 'half';
  return 'other';
}

function keyOutcome(truth: { tonic: number; mode: 'major' | 'minor' }, tags: AnalysisTags): KeyOutcome {
  if (!tags.key || !tags.mode) return 'withheld';
  const tonic = PITCH_CLASSES.indexOf(tags.key);
  if (tags.mode === truth.mode) {
    if (tonic === truth.tonic) return 'exact';
    const step = (tonic - truth.tonic + 12) % 12;
    return step === 7 || step === 5 ? 'fifth' : 'other';
  }
  // The relative minor's tonic is a minor third below the major's.
  const relative = truth.mode === 'major' ? (truth.tonic + 9) % 12 : (truth.tonic + 3) % 12;
  return tonic === relative ? 'relative' : 'other';
}

interface Row {
  c: LabelledCase;
  tags: AnalysisTags;
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(0)}%` : '-');

function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

function byGroup(rows: Row[], keep: (r: Row) => boolean): Array<[string, Row[]]> {
  const groups = new Map<Group, Row[]>();
  for (const r of rows.filter(keep)) groups.set(r.c.group, [...(groups.get(r.c.group) ?? []), r]);
  const list: Array<[string, Row[]]> = [...groups];
  if (list.length > 1) list.push(['all', list.flatMap(([, g]) => g)]);
  return list;
}

function tempoTable(rows: Row[]): string {
  const body = byGroup(rows, (r) => typeof r.c.bpm === 'number').map(([group, g]) => {
    const count = (o: TempoOutcome) => g.filter((r) => tempoOutcome(r.c.bpm!, r.tags.bpm) === o).length;
    return [group, g.length, `${count('correct')} (${pct(count('correct'), g.length)})`, count('double'), count('half'), count('other'), count('withheld')];
  });
  return table(['with a beat', 'n', 'within 2 %', 'x2', 'x0.5', 'other', 'withheld'], body);
}

function falseTempoTable(rows: Row[]): string {
  const body = byGroup(rows, (r) => r.c.bpm === null).map(([group, g]) => {
    const published = g.filter((r) => r.tags.bpm !== null).length;
    return [group, g.length, published, pct(published, g.length)];
  });
  return table(['beatless', 'n', 'got a bpm', 'false-tempo rate'], body);
}

function keyTable(rows: Row[]): string {
  const body = byGroup(rows, (r) => !!r.c.key).map(([group, g]) => {
    const count = (o: KeyOutcome) => g.filter((r) => keyOutcome(r.c.key!, r.tags) === o).length;
    return [group, g.length, `${count('exact')} (${pct(count('exact'), g.length)})`, count('relative'), count('fifth'), count('other'), count('withheld')];
  });
  return table(['in a key', 'n', 'exact', 'relative', 'fifth', 'other', 'withheld'], body);
}

function falseKeyTable(rows: Row[]): string {
  const body = byGroup(rows, (r) => r.c.key === null).map(([group, g]) => {
    const published = g.filter((r) => r.tags.key !== null).length;
    return [group, g.length, published, pct(published, g.length)];
  });
  return table(['keyless', 'n', 'got a key', 'false-key rate'], body);
}

function describe(r: Row): string {
  const t = r.tags;
  const truth = [typeof r.c.bpm === 'number' ? `${r.c.bpm} BPM` : r.c.bpm === null ? 'no beat' : '', r.c.key ? `${PITCH_CLASSES[r.c.key.tonic]} ${r.c.key.mode}` : r.c.key === null ? 'no key' : ''].filter(Boolean).join(', ');
  const tempo = `bpm ${t.bpm ?? 'null'} (estimate ${t.bpmEstimate ?? '-'}, confidence ${t.bpmConfidence})`;
  const key = `key ${t.key ? `${t.key} ${t.mode}` : 'null'} (estimate ${t.keyEstimate ?? '-'} ${t.modeEstimate ?? ''}, confidence ${t.keyConfidence})`;
  return `${r.c.name.padEnd(26)} ${truth.padEnd(20)} ${tempo.padEnd(50)} ${key}`;
}

async function main() {
  const verbose = process.argv.includes('--verbose');
  const step = Number(process.argv.find((a) => a.startsWith('--step='))?.slice(7) ?? 10);
  const tools = await createMediaTools({ ffmpegPath: process.env.FFMPEG_PATH, searchPath: process.env.PATH });
  const espeak = await hasEspeak();
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-bench-analysis-'));
  const started = process.hrtime.bigint();
  try {
    const cases = labelledSet({ espeak, dir, tempoStep: step });
    console.log(`${cases.length} labelled signals, 16 s each; speech from ${espeak ? 'espeak-ng' : 'formant babble (espeak-ng not installed)'}; load average ${loadavg()[0].toFixed(1)}`);
    console.log(`published when tempo confidence >= ${MIN_TEMPO_CONFIDENCE}, key confidence >= ${MIN_KEY_CONFIDENCE} (docs/analysis.md)`);
    const rows: Row[] = [];
    for (const [i, c] of cases.entries()) {
      const made = await c.make();
      const file = made instanceof Float32Array ? await writeWav(join(dir, `case-${i}.wav`), made) : made.file;
      const { tags } = await analyzeAudio(tools, file);
      await rm(file, { force: true });
      rows.push({ c, tags });
      if (verbose) console.log(describe({ c, tags }));
    }
    console.log(`\nTempo, published value against the beat (x2 / x0.5: octave errors)\n${tempoTable(rows)}`);
    console.log(`\nTempo on beatless audio\n${falseTempoTable(rows)}`);
    console.log(`\nKey, published value against the key\n${keyTable(rows)}`);
    console.log(`\nKey on audio without one\n${falseKeyTable(rows)}`);
    console.log(`\nanalysed in ${seconds(Number(process.hrtime.bigint() - started) / 1e9)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('analysis accuracy benchmark could not run:', err);
});
