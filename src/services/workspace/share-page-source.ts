import type { SharePageState } from '../../repositories/workspace/share-link.repository.js';
import type { AudiowaveformV2 } from '../lane-results.js';

/**
 * What the share page of one link is rendered from, as read for one request. `fingerprint`
 * names every value the page shows (the link's settings and gate, the track's title, artist,
 * duration, artwork asset and current version, the waveform lane's state), so two requests
 * with equal fingerprints would render the same page: a page rendered earlier may be served
 * again only while the fingerprint read for this request is the one it was rendered under.
 */
export interface SharePageSource {
  linkId: string;
  fingerprint: string;
  requiresAccessCode: boolean;
  /**
   * Reads what the fingerprint only names (the waveform's peaks, a signed artwork URL) and
   * returns the page's data with the fingerprint of what was actually read, which is newer
   * than the request's when a lane was written in between.
   */
  load(): Promise<{ card: SharePageCard; fingerprint: string }>;
}

export interface SharePageCard {
  /** Withheld (null) on a gated link: the page asks for the code and the card API answers the rest. */
  track: { title: string; artist: string; durationMs: number | null; artworkUrl: string | null } | null;
  peaks: AudiowaveformV2 | null;
  allowDownload: boolean;
  requiresAccessCode: boolean;
}

type Lane = { status: string | null; updatedAt: string | null } | null;

/** The fingerprint of a page: a gated page shows nothing of the track, so only the link's identity and gate count. */
export function sharePageFingerprint(state: SharePageState, lane: Lane = waveformLaneOf(state)): string {
  const { link, track, artwork, audio } = state;
  if (link.accessCodeHash !== null) return JSON.stringify(['gated', link.id, link.tokenHash]);
  return JSON.stringify([
    'open',
    link.id,
    link.tokenHash,
    link.allowDownload,
    track.title,
    track.artist,
    track.durationMs,
    track.artworkAssetId,
    artwork ? [artwork.status, artwork.storageKey, artwork.contentType] : null,
    track.currentVersionId,
    audio?.assetId ?? null,
    lane ? [lane.status, lane.updatedAt] : null,
  ]);
}

const waveformLaneOf = (state: SharePageState): Lane => (state.audio ? { status: state.audio.waveformStatus, updatedAt: state.audio.waveformUpdatedAt } : null);
