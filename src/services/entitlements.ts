import type { Actor } from '../domain/access.js';
import { AppError } from '../errors.js';

/** Throws 403 entitlement_required (with the fields Swayzio clients read) unless the actor's plan includes the feature. */
export function requireEntitlement(actor: Actor, feature: string): void {
  if (actor.entitlements.has(feature)) return;
  throw new AppError(403, 'entitlement_required', `Your plan does not include ${feature}`, {
    details: { code: 'entitlement_required', feature, current: 0, limit: 0, planId: actor.plan, status: 'inactive', upgradeRequired: true },
  });
}
