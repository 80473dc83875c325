import { describe, expect, it } from 'vitest';
import {
  audioDnTrackStatus,
  LANE_STATUSES,
  LANES,
  trackReadiness,
  type AudioDnTrackStatusId,
  type LaneMap,
  type LaneStatus,
  type TrackState,
} from './track-status.js';

const done: LaneMap = {
  probe: 'succeeded',
  waveform: 'succeeded',
  playback: 'succeeded',
  tags: 'succeeded',
  embeddings: 'succeeded',
  lyrics: 'not_configured',
  stems: 'not_configured',
};

const OPTIONS: (LaneStatus | undefined)[] = [undefined, ...LANE_STATUSES];

/** Every combination of statuses over the lanes that influence the derived status. */
function* combinations(): Generator<LaneMap> {
  for (const probe of OPTIONS)
    for (const waveform of OPTIONS)
      for (const playback of OPTIONS)
        for (const tags of OPTIONS)
          for (const embeddings of OPTIONS) yield { probe, waveform, playback, tags, embeddings };
}

const pendingish = (s: LaneStatus | undefined) => s === undefined || s === 'pending' || s === 'running';

describe('trackReadiness', () => {
  it('is awaiting upload before any lane has a status', () => {
    expect(trackReadiness({})).toEqual({ ready: false, playable: false, state: 'awaiting_upload', missing: ['probe', 'waveform', 'playback'] });
  });

  it('is ready once every lane succeeded', () => {
    expect(trackReadiness(done)).toEqual({ ready: true, playable: true, state: 'ready', missing: [] });
  });

  it.each<[string, LaneMap, Partial<ReturnType<typeof trackReadiness>>]>([
    ['uploaded, probe queued', { probe: 'pending' }, { state: 'processing', ready: false, playable: false }],
    ['probe running', { probe: 'running', waveform: 'pending', playback: 'pending' }, { state: 'processing' }],
    [
      'playback done, waveform still running',
      { probe: 'succeeded', waveform: 'running', playback: 'succeeded' },
      { state: 'processing', ready: false, playable: true, missing: ['waveform'] },
    ],
    ['probe failed', { probe: 'failed' }, { state: 'failed', ready: false, playable: false }],
    ['probe failed even with playback', { ...done, probe: 'failed' }, { state: 'failed', playable: true }],
    ['playback failed', { ...done, playback: 'failed' }, { state: 'failed', playable: false, missing: ['playback'] }],
    ['playback failed while waveform runs', { probe: 'succeeded', waveform: 'running', playback: 'failed' }, { state: 'failed' }],
    ['waveform failed', { ...done, waveform: 'failed' }, { state: 'partial', ready: false, playable: true, missing: ['waveform'] }],
    ['tags failed', { ...done, tags: 'failed' }, { state: 'partial', ready: true, playable: true, missing: [] }],
    ['embeddings failed', { ...done, embeddings: 'failed' }, { state: 'partial', ready: true }],
    ['lyrics failed', { ...done, lyrics: 'failed' }, { state: 'ready', ready: true }],
    ['stems failed', { ...done, stems: 'failed' }, { state: 'ready', ready: true }],
    ['waveform skipped', { ...done, waveform: 'skipped' }, { state: 'ready', ready: true }],
    ['waveform not configured', { ...done, waveform: 'not_configured' }, { state: 'ready', ready: true }],
    ['enrichment still running', { ...done, tags: 'running', embeddings: 'pending' }, { state: 'ready', ready: true }],
    ['enrichment never scheduled', { probe: 'succeeded', waveform: 'succeeded', playback: 'succeeded' }, { state: 'ready' }],
    ['playback not configured', { ...done, playback: 'not_configured' }, { state: 'ready', ready: true, playable: false }],
    ['only an optional lane recorded', { tags: 'pending' }, { state: 'processing' }],
  ])('%s', (_label, lanes, expected) => {
    expect(trackReadiness(lanes)).toMatchObject(expected);
  });

  it('lists missing required lanes in lane order', () => {
    expect(trackReadiness({ probe: 'succeeded', waveform: 'failed', playback: 'pending' }).missing).toEqual(['waveform', 'playback']);
  });

  it('holds its invariants for every combination of lane statuses', () => {
    let count = 0;
    for (const lanes of combinations()) {
      count++;
      const r = trackReadiness(lanes);
      const label = JSON.stringify(lanes);
      expect(r.ready, label).toBe(r.missing.length === 0);
      expect(r.playable, label).toBe(lanes.playback === 'succeeded');
      const allUnset = LANES.every((l) => lanes[l] === undefined);
      const fatal = lanes.probe === 'failed' || lanes.playback === 'failed';
      const expected: TrackState = allUnset
        ? 'awaiting_upload'
        : fatal
          ? 'failed'
          : [lanes.probe, lanes.waveform, lanes.playback].some(pendingish)
            ? 'processing'
            : r.ready && ![lanes.waveform, lanes.tags, lanes.embeddings].includes('failed')
              ? 'ready'
              : 'partial';
      expect(r.state, label).toBe(expected);
      if (r.state === 'ready') expect(r.ready, label).toBe(true);
    }
    expect(count).toBe(7 ** 5);
  });
});

describe('audioDnTrackStatus', () => {
  it('is initializing until the source bytes arrive, whatever the lanes say', () => {
    expect(audioDnTrackStatus({ hasSource: false, lanes: {} })).toBe('initializing');
    expect(audioDnTrackStatus({ hasSource: false, lanes: done })).toBe('initializing');
    expect(audioDnTrackStatus({ hasSource: false, lanes: { probe: 'failed' } })).toBe('initializing');
  });

  it.each<[string, LaneMap, number | undefined, AudioDnTrackStatusId]>([
    ['nothing scheduled yet', {}, undefined, 'processing'],
    ['probe pending', { probe: 'pending' }, undefined, 'processing'],
    ['playback running first time', { probe: 'succeeded', playback: 'running' }, 1, 'processing'],
    ['playback running, attempts unknown', { probe: 'succeeded', playback: 'running' }, undefined, 'processing'],
    ['playback running on a retry', { probe: 'succeeded', playback: 'running' }, 2, 'fallback_processing'],
    ['playback retry while others pending', { probe: 'succeeded', playback: 'running', tags: 'pending' }, 3, 'fallback_processing'],
    ['playback queued for a retry', { probe: 'succeeded', playback: 'pending' }, 2, 'processing'],
    ['all succeeded', done, undefined, 'ready'],
    ['all succeeded after a retry', done, 3, 'ready'],
    ['optional lanes skipped', { ...done, tags: 'skipped', embeddings: 'not_configured', waveform: 'skipped' }, undefined, 'ready'],
    ['tags still running', { ...done, tags: 'running' }, undefined, 'processing'],
    ['embeddings never scheduled', { ...done, embeddings: undefined }, undefined, 'processing'],
    ['waveform failed', { ...done, waveform: 'failed' }, undefined, 'incomplete'],
    ['tags failed', { ...done, tags: 'failed' }, undefined, 'incomplete'],
    ['embeddings failed', { ...done, embeddings: 'failed' }, undefined, 'incomplete'],
    ['tags failed, embeddings still running', { ...done, tags: 'failed', embeddings: 'running' }, undefined, 'processing'],
    ['lyrics and stems failed', { ...done, lyrics: 'failed', stems: 'failed' }, undefined, 'ready'],
    ['lyrics running', { ...done, lyrics: 'running' }, undefined, 'ready'],
    ['probe failed', { probe: 'failed' }, undefined, 'failed'],
    ['playback failed', { ...done, playback: 'failed' }, undefined, 'failed'],
    ['playback failed, others running', { probe: 'succeeded', playback: 'failed', tags: 'running' }, 2, 'failed'],
    ['playback skipped', { ...done, playback: 'skipped' }, undefined, 'failed'],
    ['playback not configured', { ...done, playback: 'not_configured' }, undefined, 'failed'],
  ])('%s', (_label, lanes, playbackAttempts, expected) => {
    expect(audioDnTrackStatus({ hasSource: true, lanes, playbackAttempts })).toBe(expected);
  });

  it('never reports a terminal status that a still-running lane could change', () => {
    for (const lanes of combinations()) {
      for (const playbackAttempts of [1, 2]) {
        const status = audioDnTrackStatus({ hasSource: true, lanes, playbackAttempts });
        const label = `${JSON.stringify(lanes)} x${playbackAttempts}`;
        const fatal = lanes.probe === 'failed' || lanes.playback === 'failed';
        const unsettled = [lanes.probe, lanes.playback, lanes.waveform, lanes.tags, lanes.embeddings].some(pendingish);
        if (status === 'ready' || status === 'incomplete') {
          expect(unsettled, label).toBe(false);
          expect(lanes.playback, label).toBe('succeeded');
        }
        if (status === 'failed') expect(fatal || (!unsettled && lanes.playback !== 'succeeded'), label).toBe(true);
        if (status === 'fallback_processing') expect(lanes.playback === 'running' && playbackAttempts > 1, label).toBe(true);
        if (fatal) expect(status, label).toBe('failed');
        expect(status, label).not.toBe('initializing');
      }
    }
  });
});
