import type { JobName } from '../jobs/job-names.js';

interface LaneSpec {
  /** The job that settles this lane; one job may settle several lanes. */
  job: JobName;
  /** A track is not ready until this lane succeeded (or was skipped / not configured). */
  required: boolean;
  /** Failing this lane leaves a playable track `partial` / AudioDN `incomplete` rather than failed. */
  degrades: boolean;
  /** The lane whose success starts this one (null: it starts the pipeline). */
  after: 'probe' | null;
}

/**
 * Every processing lane of an audio version, in lane order (the order statuses are listed and
 * scheduled in). Probe runs first; every other lane waits for it. `lane.analyze` decodes once and
 * settles waveform, tags and embeddings. Lyrics and stems are produced on request and never
 * affect a track's overall status.
 */
export const LANE_TABLE = {
  probe: { job: 'lane.probe', required: true, degrades: false, after: null },
  waveform: { job: 'lane.analyze', required: true, degrades: true, after: 'probe' },
  playback: { job: 'lane.playback', required: true, degrades: false, after: 'probe' },
  tags: { job: 'lane.analyze', required: false, degrades: true, after: 'probe' },
  embeddings: { job: 'lane.analyze', required: false, degrades: true, after: 'probe' },
  lyrics: { job: 'lane.lyrics', required: false, degrades: false, after: 'probe' },
  stems: { job: 'lane.stems', required: false, degrades: false, after: 'probe' },
} as const satisfies Record<string, LaneSpec>;

type Table = typeof LANE_TABLE;
export type Lane = keyof Table;
/** The lanes whose entry has the given properties. */
type LanesWhere<P> = { [L in Lane]: Table[L] extends P ? L : never }[Lane];
export type LaneJobName = Table[Lane]['job'];
export type RequiredLane = LanesWhere<{ required: true }>;
export type DegradingLane = LanesWhere<{ degrades: true }>;
export type DependentLane = LanesWhere<{ after: 'probe' }>;
export type StatusLane = RequiredLane | DegradingLane;

/** `T` itself when it names every lane, `never` otherwise: lets a surface-specific ordering prove it is complete. */
export type EveryLane<T extends readonly Lane[]> = Exclude<Lane, T[number]> extends never ? T : never;

const entries = Object.entries(LANE_TABLE) as Array<{ [L in Lane]: [L, Table[L]] }[Lane]>;
const lanesWhere = <L extends Lane>(pick: (spec: LaneSpec) => boolean): readonly L[] => entries.filter(([, spec]) => pick(spec)).map(([lane]) => lane as L);

export const LANES: readonly Lane[] = entries.map(([lane]) => lane);

/** Lanes a track needs before it counts as ready. */
export const REQUIRED_LANES = lanesWhere<RequiredLane>((s) => s.required);

/** Lanes whose failure leaves a playable track degraded rather than broken. */
export const DEGRADING_LANES = lanesWhere<DegradingLane>((s) => s.degrades);

/** Lanes that decide a track's overall (and AudioDN) status: the required and the degrading ones. */
export const STATUS_LANES = lanesWhere<StatusLane>((s) => s.required || s.degrades);

/** The job that settles each lane. */
export const LANE_JOBS = Object.fromEntries(entries.map(([lane, spec]) => [lane, spec.job])) as { readonly [L in Lane]: Table[L]['job'] };

/** Each lane job once, in lane order of the first lane it settles. */
export const LANE_JOB_NAMES: readonly LaneJobName[] = [...new Set(entries.map(([, spec]) => spec.job))];

/** The jobs a successful probe starts, with the lanes each one settles, in lane-job order. */
export const PROBE_FAN_OUT: ReadonlyArray<readonly [LaneJobName, readonly DependentLane[]]> = LANE_JOB_NAMES.flatMap((job) => {
  const lanes = entries.filter(([, spec]) => spec.job === job && spec.after === 'probe').map(([lane]) => lane as DependentLane);
  return lanes.length ? [[job, lanes] as const] : [];
});

/** Lanes that cannot run without a successful probe, grouped by the job that settles them. */
export const PROBE_DEPENDENT_LANES: readonly DependentLane[] = PROBE_FAN_OUT.flatMap(([, lanes]) => lanes);
