import type { TagsResult } from '../lane-results.js';

export interface MachineTag {
  source: 'analysis';
  type: 'bpm' | 'key' | 'loudness';
  value: string;
  confidence: number;
  rawLabel?: string;
  curationStatus: 'auto';
  /** Low-confidence estimates are kept but not shown unless asked for. */
  hidden: boolean;
  createdAt: string;
}

/** Below this an estimate is more likely wrong than right; it stays hidden by default. */
export const VISIBLE_CONFIDENCE = 0.5;

const clamp01 = (n: number): number => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0);

/** Tags derived from the tags lane (tempo, key, loudness) of a track's current version. */
export function machineTagsOf(tags: Partial<TagsResult> | null, createdAt: string | null): MachineTag[] {
  if (!tags || !createdAt) return [];
  const out: MachineTag[] = [];
  const add = (type: MachineTag['type'], value: string, confidence: number, rawLabel?: string) => {
    const c = clamp01(confidence);
    out.push({ source: 'analysis', type, value, confidence: c, ...(rawLabel ? { rawLabel } : {}), curationStatus: 'auto', hidden: c < VISIBLE_CONFIDENCE, createdAt });
  };
  if (typeof tags.bpm === 'number' && Number.isFinite(tags.bpm)) add('bpm', String(Math.round(tags.bpm)), tags.bpmConfidence ?? 0, `${Math.round(tags.bpm * 10) / 10} BPM`);
  if (tags.key) add('key', `${tags.key}${tags.mode ? ` ${tags.mode}` : ''}`, tags.keyConfidence ?? 0);
  if (typeof tags.loudnessLufs === 'number' && Number.isFinite(tags.loudnessLufs)) add('loudness', `${tags.loudnessLufs.toFixed(1)} LUFS`, 1);
  return out;
}
