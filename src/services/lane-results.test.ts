import { describe, expect, it } from 'vitest';
import { storedProbe, toProbeResult } from './lane-results.js';

const probe = toProbeResult({
  durationMs: 183_000, bitrate: 320_000, sampleRate: 44_100, channels: 2, codec: 'mp3', container: 'mpeg', mimeType: 'audio/mpeg', fileSize: 7_320_000,
  tags: { title: 'Low Tide', isrc: 'USRC17607839' },
});

describe('storedProbe', () => {
  it('takes a probe of the same bytes that an intake kept in the metadata', () => {
    expect(storedProbe(JSON.stringify(probe), 7_320_000)).toEqual(probe);
    expect(probe.hasArtwork).toBe(false);
  });

  it('refuses anything that is not a probe of this file', () => {
    expect(storedProbe(JSON.stringify(probe), 7_320_001)).toBeNull();
    expect(storedProbe(JSON.stringify(probe), null)).toBeNull();
    expect(storedProbe('{}', 7_320_000)).toBeNull();
    expect(storedProbe(JSON.stringify({ fileSize: 7_320_000, artist: 'a client field' }), 7_320_000)).toBeNull();
    expect(storedProbe(JSON.stringify({ ...probe, durationMs: 0 }), 7_320_000)).toBeNull();
    expect(storedProbe(JSON.stringify([probe]), 7_320_000)).toBeNull();
    expect(storedProbe('not json', 7_320_000)).toBeNull();
    expect(storedProbe(null, 7_320_000)).toBeNull();
  });
});
