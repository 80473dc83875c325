import { atLeast, type Actor } from './access.js';

/** What the access rule needs to know about a track. */
export interface TrackAccessFacts {
  id: string;
  tenantId: string;
  ownerUserId: string | null;
  collectionId: string | null;
}

/**
 * The one rule for who may reach a track, on every surface:
 * - never a track of another tenant;
 * - a browser-facing key (player, uploader, share) only the track or collection it was made for;
 * - tenant admins and owners (and server keys acting for them) every track of the tenant;
 * - anyone else (members, guests) only the tracks they own.
 * A track the rule refuses does not exist for the caller: surfaces answer 404, never 403.
 */
export function mayAccessTrack(actor: Actor, track: TrackAccessFacts): boolean {
  if (track.tenantId !== actor.tenantId) return false;
  if (actor.key && actor.key.type !== 'server') {
    if (actor.key.trackId) return actor.key.trackId === track.id;
    return !!track.collectionId && actor.key.collectionId === track.collectionId;
  }
  if (atLeast(actor.role, 'admin')) return true;
  return !!actor.userId && track.ownerUserId === actor.userId;
}

/**
 * The same rule as a listing filter: `null` when the caller sees the whole tenant, otherwise the
 * owner whose tracks alone it sees (a caller with no user of its own sees none).
 */
export function trackOwnerFilter(actor: Actor): { ownerUserId: string | null } | null {
  if (actor.key && actor.key.type !== 'server') return null;
  if (atLeast(actor.role, 'admin')) return null;
  return { ownerUserId: actor.userId };
}

