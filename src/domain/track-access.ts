import { atLeast, type Actor } from './access.js';

/** What the access rule needs to know about a track. */
export interface TrackAccessFacts {
  id: string;
  tenantId: string;
  ownerUserId: string | null;
  collectionId: string | null;
}

/** A browser-facing key (player, uploader, share): limited to one collection or one track. */
export const isScopedKey = (actor: Actor): boolean => !!actor.key && actor.key.type !== 'server';

/** Whether a track lies in the scope of the caller's key; callers without a scoped key are not limited by it. */
export function inKeyScope(actor: Actor, track: { id: string; collectionId: string | null }): boolean {
  if (!isScopedKey(actor)) return true;
  const key = actor.key!;
  if (key.trackId) return key.trackId === track.id;
  return !!track.collectionId && key.collectionId === track.collectionId;
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
  if (isScopedKey(actor)) return inKeyScope(actor, track);
  if (atLeast(actor.role, 'admin')) return true;
  return !!actor.userId && track.ownerUserId === actor.userId;
}

/**
 * The same rule as a listing filter: `null` when the caller sees the whole tenant, otherwise the
 * owner whose tracks alone it sees (a caller with no user of its own sees none).
 */
export function trackOwnerFilter(actor: Actor): { ownerUserId: string | null } | null {
  if (isScopedKey(actor)) return null;
  if (atLeast(actor.role, 'admin')) return null;
  return { ownerUserId: actor.userId };
}

