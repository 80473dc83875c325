import { nowIso } from '../../db/time.js';
import type { LinkView, LinkWithToken } from '../../services/workspace/share-link.service.js';

/** ClientTrackShareLink / split-sheet review link, redacted: no token, no hashes. */
export function presentLink(v: LinkView) {
  const { link, stats } = v;
  const isTrack = link.kind === 'track';
  return {
    id: link.id,
    trackId: link.trackId,
    name: link.name,
    tokenPrefix: link.tokenPrefix,
    ...(isTrack ? { allowDownload: link.allowDownload === 1, requiresAccessCode: link.accessCodeHash !== null } : {}),
    expiresAt: link.expiresAt,
    status: link.revokedAt ? 'revoked' : link.expiresAt && link.expiresAt <= nowIso() ? 'expired' : 'active',
    createdAt: link.createdAt,
    updatedAt: link.updatedAt,
    lastViewedAt: stats.lastViewedAt,
    stats: isTrack ? { views: stats.views, plays: stats.plays, downloads: stats.downloads } : { views: stats.views },
  };
}

/** The one response that carries the plaintext token (create and reset). */
export const presentLinkWithToken = (v: LinkWithToken, publicUrl: string) => ({
  ...presentLink(v),
  token: v.token,
  sharePath: v.sharePath,
  shareUrl: `${publicUrl}${v.sharePath}`,
});
