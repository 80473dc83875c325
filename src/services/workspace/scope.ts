import { atLeast, type Actor } from '../../domain/access.js';
import { forbidden, notFound } from '../../errors.js';
import { mayAccessTrack } from '../../domain/track-access.js';
import type { TrackRepository, TrackRow } from '../../repositories/track.repository.js';

/**
 * What a credential may see: its own tracks, or (tenant admins and owners) every track of the
 * tenant. `ownerUserId: null` means no owner restriction.
 */
export interface Scope {
  actor: Actor;
  tenantId: string;
  ownerUserId: string | null;
  userId: string | null;
  isAdmin: boolean;
}

export function scopeOf(actor: Actor): Scope {
  const isAdmin = atLeast(actor.role, 'admin');
  // Scoped API keys (players, uploaders, share keys) and guests have no workspace of their own.
  if (!isAdmin && (actor.role === 'guest' || !actor.userId)) throw forbidden('forbidden', 'This credential cannot use the workspace API');
  return { actor, tenantId: actor.tenantId, ownerUserId: isAdmin ? null : actor.userId, userId: actor.userId, isAdmin };
}

export const canSee = (scope: Scope, ownerUserId: string | null): boolean => scope.ownerUserId === null || ownerUserId === scope.ownerUserId;

/** Loads a track the scope may act on; anything else (another owner's, another tenant's, deleted) is `track_not_found`. */
export function createTrackFinder(tracks: TrackRepository) {
  return async function findTrack(scope: Scope, trackId: string, opts: { includeDeleted?: boolean } = {}): Promise<TrackRow> {
    const track = await tracks.find(scope.tenantId, trackId, opts);
    if (!track || !mayAccessTrack(scope.actor, track)) throw notFound('track_not_found', 'Track not found');
    return track;
  };
}
export type TrackFinder = ReturnType<typeof createTrackFinder>;
