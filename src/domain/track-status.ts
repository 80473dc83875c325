import { DEGRADING_LANES, LANES, REQUIRED_LANES, STATUS_LANES, type Lane } from './lanes.js';

export { DEGRADING_LANES, LANES, REQUIRED_LANES, type Lane };

export const LANE_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'not_configured'] as const;
export type LaneStatus = (typeof LANE_STATUSES)[number];

/** Latest status per lane; a lane with no entry has not been scheduled yet. */
export type LaneMap = Partial<Record<Lane, LaneStatus | undefined>>;

export type TrackState = 'awaiting_upload' | 'processing' | 'ready' | 'partial' | 'failed';

export interface TrackReadiness {
  ready: boolean;
  playable: boolean;
  state: TrackState;
  /** Required lanes not (yet) satisfied. */
  missing: Lane[];
}

/** A lane that deliberately did not run never holds a track back. */
const satisfied = (s: LaneStatus | undefined): boolean => s === 'succeeded' || s === 'skipped' || s === 'not_configured';

/** Not yet terminal: unscheduled lanes count as pending. */
const inFlight = (s: LaneStatus | undefined): boolean => s === undefined || s === 'pending' || s === 'running';

/** A lane status that will not change without a retry: the lane ran (or deliberately did not). */
export const isSettled = (s: string): boolean => !inFlight(s as LaneStatus);

/** The lane map of an asset's lane rows. */
export function laneMapOf(rows: ReadonlyArray<{ lane: string; status: string }>): LaneMap {
  const map: LaneMap = {};
  for (const r of rows) map[r.lane as Lane] = r.status as LaneStatus;
  return map;
}

const isFatal = (lanes: LaneMap): boolean => lanes.probe === 'failed' || lanes.playback === 'failed';

/**
 * Overall state of a track from its lane statuses. `ready` means every required lane succeeded
 * or was skipped / not configured; `playable` strictly means a playback rendition exists.
 * A failed probe or playback lane is fatal; a failed waveform, tags or embeddings lane on an
 * otherwise finished track makes it `partial`.
 */
export function trackReadiness(lanes: LaneMap): TrackReadiness {
  const missing = REQUIRED_LANES.filter((lane) => !satisfied(lanes[lane]));
  const ready = missing.length === 0;
  const playable = lanes.playback === 'succeeded';

  let state: TrackState;
  if (LANES.every((lane) => lanes[lane] === undefined)) state = 'awaiting_upload';
  else if (isFatal(lanes)) state = 'failed';
  else if (REQUIRED_LANES.some((lane) => inFlight(lanes[lane]))) state = 'processing';
  else if (ready && !DEGRADING_LANES.some((lane) => lanes[lane] === 'failed')) state = 'ready';
  else state = 'partial';

  return { ready, playable, state, missing };
}

export type AudioDnTrackStatusId = 'initializing' | 'processing' | 'fallback_processing' | 'ready' | 'incomplete' | 'failed';

export interface AudioDnStatusInput {
  /** Whether the uploaded source bytes have arrived. */
  hasSource: boolean;
  lanes: LaneMap;
  /** Attempts made at the playback rendition so far, counting the one in progress. */
  playbackAttempts?: number;
}

/**
 * AudioDN's `track_status_id`. `ready`, `incomplete` and `failed` are terminal, so they are only
 * reported once no tracked lane can still change the outcome; until then the track is
 * `processing` (or `fallback_processing` while playback is being retried).
 */
export function audioDnTrackStatus({ hasSource, lanes, playbackAttempts = 1 }: AudioDnStatusInput): AudioDnTrackStatusId {
  if (!hasSource) return 'initializing';
  if (isFatal(lanes)) return 'failed';
  if (lanes.playback === 'running' && playbackAttempts > 1) return 'fallback_processing';
  if (STATUS_LANES.some((lane) => inFlight(lanes[lane]))) return 'processing';
  if (lanes.playback !== 'succeeded') return 'failed';
  return DEGRADING_LANES.some((lane) => lanes[lane] === 'failed') ? 'incomplete' : 'ready';
}
