import type { CatalogEvent, FieldChanges } from '../../../catalog/events.js';
import type { DistributionRepositories } from '../../../repositories/distribution/index.js';
import type { TenantRepository } from '../../../repositories/tenant.repository.js';
import type { TrackRepository } from '../../../repositories/track.repository.js';
import type { RoyaltiEvent } from './event-names.js';

/** What a catalog event says to a Royalti receiver: the event name, the resource and its values. */
export interface EventStatement {
  event: RoyaltiEvent;
  resource: { type: 'asset' | 'product' | 'artist' | 'user' | 'release'; id: string; path: string; displayName: string | null };
  attributes: Record<string, unknown>;
  previous: Record<string, unknown>;
}

export interface StatementSources {
  tracks: Pick<TrackRepository, 'find'>;
  tenants: Pick<TenantRepository, 'findUserById'>;
  repos: Pick<DistributionRepositories, 'products' | 'artists' | 'releases'>;
}

/** Values as they were before an update, JSON columns read back as values. */
function previousOf(changes: FieldChanges | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, { from }] of Object.entries(changes ?? {})) out[field] = readJson(from);
  return out;
}

const readJson = (v: unknown): unknown => {
  if (typeof v !== 'string' || !/^[[{]/.test(v)) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};

/**
 * Reads what the receiver is told about an event, after its commit. Returns null for events the
 * distribution webhook does not report (processing lanes, share views, collections).
 */
export async function stateEvent(e: CatalogEvent, src: StatementSources): Promise<EventStatement | null> {
  switch (e.type) {
    case 'track.created':
    case 'track.updated': {
      const track = await src.tracks.find(e.tenantId, e.trackId, { includeDeleted: true });
      if (!track) return null;
      const removed = e.type === 'track.updated' && e.fields.includes('deletedAt') && track.deletedAt !== null;
      if (e.type === 'track.updated' && !removed && !e.fields.length && !e.changes) return null;
      const event: RoyaltiEvent = e.type === 'track.created' ? 'ASSET_CREATED' : removed ? 'ASSET_DELETED' : 'ASSET_UPDATED';
      return {
        event,
        resource: { type: 'asset', id: track.id, path: `/asset/${track.id}`, displayName: track.title },
        attributes: { title: track.title, displayArtist: track.artist, isrc: track.isrc, iswc: track.iswc, duration: track.durationMs === null ? null : track.durationMs / 1000, releaseDate: track.releaseDate },
        previous: event === 'ASSET_UPDATED' ? previousOf(e.type === 'track.updated' ? e.changes : undefined) : {},
      };
    }
    case 'track.deleted':
      return {
        event: 'ASSET_DELETED',
        resource: { type: 'asset', id: e.trackId, path: `/asset/${e.trackId}`, displayName: e.title ?? null },
        attributes: { title: e.title ?? null, isrc: e.isrc ?? null },
        previous: {},
      };
    case 'product.created':
    case 'product.updated':
    case 'product.deleted': {
      const event = ({ 'product.created': 'PRODUCT_CREATED', 'product.updated': 'PRODUCT_UPDATED', 'product.deleted': 'PRODUCT_DELETED' } as const)[e.type];
      const row = e.type === 'product.deleted' ? undefined : await src.repos.products.findById(e.tenantId, e.productId);
      if (!row && e.type !== 'product.deleted') return null;
      return {
        event,
        resource: { type: 'product', id: e.productId, path: `/product/${e.productId}`, displayName: row?.title ?? e.title ?? null },
        attributes: row
          ? { title: row.title, upc: row.upc, displayArtist: row.displayArtist, type: row.type, format: row.format, status: row.status, releaseDate: row.releaseDate }
          : { title: e.title ?? null },
        previous: event === 'PRODUCT_UPDATED' ? previousOf(e.changes) : {},
      };
    }
    case 'artist.created':
    case 'artist.updated':
    case 'artist.merged':
    case 'artist.deleted': {
      const event = e.type === 'artist.created' ? 'ARTIST_CREATED' : e.type === 'artist.deleted' ? 'ARTIST_DELETED' : 'ARTIST_UPDATED';
      const row = e.type === 'artist.deleted' ? undefined : await src.repos.artists.find(e.tenantId, e.artistId);
      if (!row && e.type !== 'artist.deleted') return null;
      return {
        event,
        resource: { type: 'artist', id: e.artistId, path: `/artist/${e.artistId}`, displayName: row?.artistName ?? e.name ?? null },
        attributes: row ? { artistName: row.artistName, label: row.label, externalId: row.externalId, ...(e.type === 'artist.merged' ? { merged: true } : {}) } : { artistName: e.name ?? null },
        previous: event === 'ARTIST_UPDATED' ? previousOf(e.changes) : {},
      };
    }
    case 'user.created':
    case 'user.updated': {
      const user = await src.tenants.findUserById(e.userId);
      if (!user || user.tenantId !== e.tenantId) return null;
      return {
        event: e.type === 'user.created' ? 'USER_CREATED' : 'USER_UPDATED',
        resource: { type: 'user', id: user.id, path: `/user/${user.id}`, displayName: user.name },
        attributes: { name: user.name, email: user.email, role: user.role },
        previous: e.type === 'user.updated' ? previousOf(e.changes) : {},
      };
    }
    case 'release.status_changed': {
      const release = await src.repos.releases.find(e.tenantId, e.releaseId);
      return {
        event: 'RELEASE_STATUS_CHANGED',
        resource: { type: 'release', id: e.releaseId, path: `/releases/${e.releaseId}`, displayName: release?.title ?? null },
        attributes: { title: release?.title ?? null, status: e.to },
        previous: { status: e.from },
      };
    }
    default:
      return null;
  }
}
