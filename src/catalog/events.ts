/**
 * The catalog's domain events. The catalog and the surface services publish them after their
 * transaction commits; webhooks of every surface and the metrics subscribe. An event names what
 * changed, never how a surface presents it: each subscriber reads what it needs.
 */
interface TrackRef {
  tenantId: string;
  trackId: string;
}

/** Who caused an event, when a request did: the user, and the API key the request came with. */
export interface EventActor {
  userId: string | null;
  keyId: string | null;
}

/** What an update changed, field by field, for subscribers that report the values before it. */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

type EventBody =
  | ({ type: 'track.created'; collectionId: string | null } & TrackRef)
  | ({ type: 'track.updated'; fields: string[]; changes?: FieldChanges } & TrackRef)
  | ({ type: 'track.version_added'; versionId: string; assetId: string; current: boolean } & TrackRef)
  | ({ type: 'track.processing_changed'; assetId: string; lane: string; status: string } & TrackRef)
  | ({ type: 'track.ready'; assetId: string } & TrackRef)
  | ({ type: 'track.failed'; assetId: string } & TrackRef)
  | ({ type: 'track.deleted'; collectionId: string | null; title?: string; isrc?: string | null } & TrackRef)
  | ({ type: 'share_link.viewed'; shareLinkId: string } & TrackRef)
  | ({ type: 'split_sheet.updated' } & TrackRef)
  | { type: 'collection.created' | 'collection.updated' | 'collection.deleted'; tenantId: string; collectionId: string; snapshot?: unknown }
  | { type: 'release.status_changed'; tenantId: string; releaseId: string; from: string | null; to: string }
  | { type: 'product.created' | 'product.updated' | 'product.deleted'; tenantId: string; productId: string; changes?: FieldChanges; title?: string }
  | { type: 'artist.created' | 'artist.updated' | 'artist.deleted' | 'artist.merged'; tenantId: string; artistId: string; changes?: FieldChanges; name?: string }
  | { type: 'user.created' | 'user.updated'; tenantId: string; userId: string; changes?: FieldChanges };

/** An event and, when a request caused it, who made that request. */
export type CatalogEvent = EventBody & { actor?: EventActor };

export type CatalogEventType = CatalogEvent['type'];
export type EventOf<T extends CatalogEventType> = Extract<CatalogEvent, { type: T }>;
export type CatalogListener = (event: CatalogEvent) => Promise<void> | void;

export interface EventLog {
  warn(obj: object, msg: string): void;
}

/**
 * In-process fan-out. Listeners run one after another in subscription order; one that throws is
 * logged and does not stop the others, nor the write that published the event (it has
 * committed). Work that must survive a crash is queued by the listener (webhook deliveries are
 * rows and jobs), not done in it.
 */
export function createEventBus(log?: EventLog) {
  const listeners: Array<{ types: ReadonlySet<string> | null; listener: CatalogListener }> = [];

  async function publish(...events: CatalogEvent[]): Promise<void> {
    for (const event of events) {
      for (const { types, listener } of listeners) {
        if (types && !types.has(event.type)) continue;
        try {
          await listener(event);
        } catch (err) {
          log?.warn({ err, event: event.type }, 'catalog event listener failed');
        }
      }
    }
  }

  /** Every event, or only those of the given types. */
  function subscribe(listener: CatalogListener, types?: readonly CatalogEventType[]): void {
    listeners.push({ types: types ? new Set(types) : null, listener });
  }

  function on<T extends CatalogEventType>(type: T | readonly T[], listener: (event: EventOf<T>) => Promise<void> | void): void {
    subscribe(listener as CatalogListener, Array.isArray(type) ? type : [type as T]);
  }

  return { publish, subscribe, on };
}
export type EventBus = ReturnType<typeof createEventBus>;
