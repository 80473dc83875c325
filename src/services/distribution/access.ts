import { atLeast, type Actor } from '../../domain/access.js';
import { forbidden } from '../../errors.js';

/** Guests read; members (Royalti's "user") write; admins review and revert. */
export function requireWriter(actor: Actor): void {
  if (!atLeast(actor.role, 'member')) throw forbidden('forbidden', 'Your role can read this workspace but not change it');
}

export function requireAdmin(actor: Actor): void {
  if (!atLeast(actor.role, 'admin')) throw forbidden('admin_required', 'Admin access required');
}
