import type { ProbeResult } from '../lane-results.js';

/**
 * Royalti's media metadata from a probe: duration in seconds; bitrate (kbps), sample rate and
 * channels as strings, the way its examples spell them.
 */
export function mediaMetadata(p: Partial<ProbeResult> | null | undefined, processedAt: string): Record<string, unknown> {
  if (!p) return { processedAt };
  return {
    duration: p.durationMs != null ? Math.round(p.durationMs) / 1000 : null,
    bitrate: p.bitrate != null ? String(Math.round(p.bitrate / 1000)) : null,
    sampleRate: p.sampleRate != null ? String(p.sampleRate) : null,
    channels: p.channels != null ? String(p.channels) : null,
    codec: p.codec ?? null,
    fileSize: p.fileSize ?? null,
    mimeType: p.mimeType ?? null,
    processedAt,
  };
}
