/**
 * The Royalti webhook events. Every documented name can be subscribed to, so a client written for
 * the reference keeps its settings; Ledgerline sends the catalog, roster and release events (it
 * keeps no payments, royalty files or splits, so those never fire).
 */
export const EVENT_CATEGORIES = {
  financial: [
    'PAYMENT_COMPLETED', 'PAYMENT_PROCESSING', 'PAYMENT_MADE_FAILED', 'PAYMENT_REQUEST_SENT', 'PAYMENT_REQUEST_APPROVED', 'PAYMENT_REQUEST_REJECTED',
    'PAYMENT_DELETED', 'REVENUE_CREATED', 'REVENUE_UPDATED', 'REVENUE_DELETED', 'EXPENSE_CREATED', 'EXPENSE_UPDATED', 'EXPENSE_DELETED',
  ],
  catalog: ['ASSET_CREATED', 'ASSET_UPDATED', 'ASSET_DELETED', 'PRODUCT_CREATED', 'PRODUCT_UPDATED', 'PRODUCT_DELETED', 'RELEASE_STATUS_CHANGED'],
  roster: ['USER_CREATED', 'USER_UPDATED', 'USER_DELETED', 'USER_INVITATION_SENT', 'ARTIST_CREATED', 'ARTIST_UPDATED', 'ARTIST_DELETED'],
  royalty: ['ROYALTY_FILE_UPLOADED', 'ROYALTY_FILE_PROCESSED', 'ROYALTY_FILE_PROCESSING_FAILED'],
  split: ['USER_ADDED_TO_SPLIT', 'USER_REMOVED_FROM_SPLIT'],
} as const;

export type EventCategory = keyof typeof EVENT_CATEGORIES;
export type RoyaltiEvent = (typeof EVENT_CATEGORIES)[EventCategory][number];

export const ALL_EVENTS: readonly RoyaltiEvent[] = Object.values(EVENT_CATEGORIES).flat();
const KNOWN = new Set<string>(ALL_EVENTS);
export const isRoyaltiEvent = (name: string): name is RoyaltiEvent => KNOWN.has(name);

export function categoryOf(event: RoyaltiEvent): EventCategory {
  for (const [category, names] of Object.entries(EVENT_CATEGORIES)) if ((names as readonly string[]).includes(event)) return category as EventCategory;
  throw new Error(`unknown event ${event}`);
}

/** Deletions and release decisions matter more to a receiver than routine edits. */
export const importanceOf = (event: RoyaltiEvent): 'high' | 'normal' =>
  event.endsWith('_DELETED') || event === 'RELEASE_STATUS_CHANGED' ? 'high' : 'normal';

/** Attempts per delivery, as the reference documents. */
export const MAX_ATTEMPTS = 3;

export const DELIVERY_STATUSES = ['pending', 'success', 'failed', 'timeout', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** States a delivery ends in; a retry starts it again from these. */
export const FINISHED_UNSUCCESSFULLY: readonly DeliveryStatus[] = ['failed', 'timeout', 'cancelled'];
