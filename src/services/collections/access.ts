import { type Actor, type ApiKeyType } from '../../domain/access.js';
import { forbidden } from '../../errors.js';
import { inKeyScope, isScopedKey } from '../../domain/track-access.js';

/**
 * What a credential may do on this surface. Server keys (and users' JWTs) manage their whole
 * organization; client-side keys are limited to one collection or track and to the
 * operations of their type: players read and play, uploaders read and upload, share keys read
 * and play their one track.
 */
export type Operation = 'read' | 'play' | 'upload' | 'manage';

const KEY_OPERATIONS: Record<ApiKeyType, readonly Operation[]> = {
  server: ['read', 'play', 'upload', 'manage'],
  player: ['read', 'play'],
  uploader: ['read', 'upload'],
  share: ['read', 'play'],
};

const VERBS: Record<Operation, string> = { read: 'read this resource', play: 'create play sessions', upload: 'upload tracks', manage: 'make this change' };

export { isScopedKey };

export function requireOperation(actor: Actor, op: Operation): void {
  if (actor.key) {
    if (!KEY_OPERATIONS[actor.key.type].includes(op)) throw forbidden('key_not_allowed', `A ${actor.key.type} key cannot ${VERBS[op]}`);
    return;
  }
  if (actor.role === 'guest' && op !== 'read' && op !== 'play') throw forbidden('role_not_allowed', `A guest cannot ${VERBS[op]}`);
}

/** Collection-level resources: a track-scoped key sees none, a collection-scoped key only its own. */
export function collectionInScope(actor: Actor, collectionId: string | null): boolean {
  if (!isScopedKey(actor)) return true;
  const key = actor.key!;
  if (key.trackId) return false;
  return !!collectionId && key.collectionId === collectionId;
}

export const trackInScope = inKeyScope;

/** Who a write is recorded against: a user's tracks show in their workspace; API keys own nothing. */
export const ownerOf = (actor: Actor): string | null => (actor.via === 'jwt' ? actor.userId : null);
