import { describe, expect, it } from 'vitest';
import { JOB_NAMES } from '../jobs/job-names.js';
import { DEGRADING_LANES, LANE_JOB_NAMES, LANE_JOBS, LANES, PROBE_DEPENDENT_LANES, PROBE_FAN_OUT, REQUIRED_LANES, STATUS_LANES } from './lanes.js';

describe('lane table', () => {
  it('lists the lanes in lane order', () => {
    expect(LANES).toEqual(['probe', 'waveform', 'playback', 'tags', 'embeddings', 'lyrics', 'stems']);
  });

  it('derives the required, degrading and status-deciding lanes', () => {
    expect(REQUIRED_LANES).toEqual(['probe', 'waveform', 'playback']);
    expect(DEGRADING_LANES).toEqual(['waveform', 'tags', 'embeddings']);
    expect(STATUS_LANES).toEqual(['probe', 'waveform', 'playback', 'tags', 'embeddings']);
  });

  it('maps each lane to the job that settles it; analyze settles waveform, tags and embeddings', () => {
    expect(LANE_JOBS).toEqual({
      probe: 'lane.probe',
      waveform: 'lane.analyze',
      playback: 'lane.playback',
      tags: 'lane.analyze',
      embeddings: 'lane.analyze',
      lyrics: 'lane.lyrics',
      stems: 'lane.stems',
    });
    expect(LANE_JOB_NAMES).toEqual(['lane.probe', 'lane.analyze', 'lane.playback', 'lane.lyrics', 'lane.stems']);
  });

  it('fans out every other lane after the probe, one job per group', () => {
    expect(PROBE_FAN_OUT).toEqual([
      ['lane.analyze', ['waveform', 'tags', 'embeddings']],
      ['lane.playback', ['playback']],
      ['lane.lyrics', ['lyrics']],
      ['lane.stems', ['stems']],
    ]);
    expect(PROBE_DEPENDENT_LANES).toEqual(['waveform', 'tags', 'embeddings', 'playback', 'lyrics', 'stems']);
    expect([...PROBE_DEPENDENT_LANES].sort()).toEqual(LANES.filter((l) => l !== 'probe').sort());
  });

  it('puts the lane jobs first among the job names', () => {
    expect(JOB_NAMES.slice(0, 5)).toEqual(['lane.probe', 'lane.analyze', 'lane.playback', 'lane.lyrics', 'lane.stems']);
    expect(JOB_NAMES).toEqual(expect.arrayContaining(['variant.render', 'webhook.deliver', 'webhook.distribution.deliver', 'delivery.batch', 'uploads.sweep']));
  });
});
