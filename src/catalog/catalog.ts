import type { Db, Executor } from '../db/database.js';
import { nowIso } from '../db/time.js';
import { conflict, notFound } from '../errors.js';
import type { AssetRepository, AssetRow } from '../repositories/asset.repository.js';
import type { ProcessingRepository } from '../repositories/processing.repository.js';
import type { TrackPatch, TrackRepository, TrackRow } from '../repositories/track.repository.js';
import type { BlobStore } from '../storage/blob-store.js';
import { trackPrefix } from '../storage/object-keys.js';
import type { Actor } from '../domain/access.js';
import { crashPoint } from '../crash-points.js';
import type { EventOutbox } from './event-outbox.js';
import type { CatalogEvent, EventActor, EventBus, FieldChanges } from './events.js';
import { newTrackRow, type TrackDefaults } from './track-row.js';

/** One transaction of catalog work; its events are published once it has committed. */
export interface Work {
  tx: Executor;
  emit(event: CatalogEvent): void;
}

/** What a surface removes of its own when a track is purged, inside the purge's transaction. */
export type PurgeHook = (tx: Executor, track: TrackRow) => Promise<void>;

export interface CatalogDeps {
  db: Db;
  store: Pick<BlobStore, 'delete' | 'deletePrefix'>;
  tracks: TrackRepository;
  assets: AssetRepository;
  processing: Pick<ProcessingRepository, 'deleteForTrack'>;
  events: EventBus;
  /** Where a transaction's events wait between its commit and their publication. */
  outbox: Pick<EventOutbox, 'record' | 'done'>;
}

export interface NewVersion {
  versionId: string;
  assetId: string;
  label?: string | null;
  /** The new version replaces the one that plays (a surface's "send another file"). */
  replace?: boolean;
}

/**
 * The track aggregate: the only code that writes `tracks`, `track_versions` and `assets`. Every
 * surface creates, versions, promotes and purges tracks through it, so the rules (which version
 * plays, what a purge removes, which events fire) are the same whichever API was used.
 */
export function createCatalog(deps: CatalogDeps) {
  const { db, store, tracks, assets, processing, events, outbox } = deps;
  const purgeHooks: PurgeHook[] = [];

  /**
   * Runs `work` in a transaction and publishes what it emitted after the commit, each event
   * naming the actor whose request did the work (when there is one).
   */
  async function transaction<T>(work: (w: Work) => Promise<T>, opts: { actor?: Actor } = {}): Promise<T> {
    const emitted: CatalogEvent[] = [];
    const by: EventActor | undefined = opts.actor ? { userId: opts.actor.userId, keyId: opts.actor.key?.id ?? null } : undefined;
    let pending: string | null = null;
    const result = await db.transaction().execute(async (tx) => {
      const out = await work({ tx, emit: (e) => void emitted.push(by ? { ...e, actor: by } : e) });
      // Committed with the work: a crash before the publish below leaves them for the sweep.
      if (emitted.length) pending = await outbox.record(tx, emitted);
      return out;
    });
    if (pending) crashPoint('catalog.events.committed');
    await events.publish(...emitted);
    if (pending) await outbox.done(pending);
    return result;
  }

  async function createTrack(w: Work, defaults: TrackDefaults): Promise<TrackRow> {
    const row = newTrackRow(defaults);
    await tracks.insert(row, w.tx);
    // Who creates a track owns it: without a request's actor, the owner is named.
    const owner = row.ownerUserId ? { userId: row.ownerUserId, keyId: null } : undefined;
    w.emit({ type: 'track.created', tenantId: row.tenantId, trackId: row.id, collectionId: row.collectionId ?? null, ...(owner ? { actor: owner } : {}) });
    return row as TrackRow;
  }

  /**
   * Updates the track row. The event lists the fields patched and, when `track` is the row as
   * it was (or the caller says what changed), each changed value before and after.
   */
  async function updateTrack(w: Work, track: Pick<TrackRow, 'tenantId' | 'id'> & Partial<TrackRow>, patch: TrackPatch, opts: { changes?: FieldChanges } = {}): Promise<boolean> {
    const changed = await tracks.update(track.tenantId, track.id, { ...patch, updatedAt: patch.updatedAt ?? nowIso() }, w.tx);
    const fields = Object.keys(patch).filter((k) => k !== 'updatedAt');
    if (changed) w.emit({ type: 'track.updated', tenantId: track.tenantId, trackId: track.id, fields, changes: opts.changes ?? changesOf(track, patch, fields) });
    return changed;
  }

  /**
   * Files a stored object (artwork, a cover, a document) as an asset; `w` may be a plain
   * transaction. An object recorded as pending (src/storage/pending-objects.ts) is owned from now.
   */
  async function insertAsset(w: Pick<Work, 'tx'>, row: AssetRow): Promise<void> {
    await assets.insert(row, w.tx);
    await w.tx.deleteFrom('pendingObjects').where('storageKey', '=', row.storageKey).execute();
  }
  const removeAsset = (w: Pick<Work, 'tx'>, assetId: string): Promise<unknown> => assets.delete(assetId, w.tx);

  /**
   * Adds a version of the track's audio. The one rule for which version plays: the first version
   * of a track, or one that replaces the current file; any other waits to be promoted.
   */
  async function attachVersion(w: Work, track: Pick<TrackRow, 'tenantId' | 'id'>, v: NewVersion): Promise<{ current: boolean; isOriginal: boolean }> {
    const existing = await tracks.listVersions(track.id, w.tx);
    const isOriginal = existing.length === 0;
    const now = nowIso();
    await tracks.insertVersion({ id: v.versionId, tenantId: track.tenantId, trackId: track.id, assetId: v.assetId, label: v.label ?? null, isOriginal: isOriginal ? 1 : 0, createdAt: now }, w.tx);
    const current = isOriginal || !!v.replace;
    if (current) await tracks.update(track.tenantId, track.id, { currentVersionId: v.versionId, updatedAt: now }, w.tx);
    w.emit({ type: 'track.version_added', tenantId: track.tenantId, trackId: track.id, versionId: v.versionId, assetId: v.assetId, current });
    return { current, isOriginal };
  }

  async function promote(track: TrackRow, versionId: string): Promise<void> {
    const v = await tracks.findVersion(track.id, versionId);
    if (!v) throw notFound('version_not_found', 'Version not found');
    await transaction((w) => updateTrack(w, track, { currentVersionId: v.id }));
  }

  /** Removes a version that is not the original; the original plays again if it was current. */
  async function deleteVersion(track: TrackRow, versionId: string): Promise<void> {
    const v = await tracks.findVersion(track.id, versionId);
    if (!v) throw notFound('version_not_found', 'Version not found');
    if (v.isOriginal) throw conflict('original_version_cannot_be_deleted', 'The original version cannot be deleted');
    const asset = await assets.find(track.tenantId, v.assetId);
    await transaction(async (w) => {
      if (track.currentVersionId === v.id) {
        const original = (await tracks.listVersions(track.id, w.tx)).find((x) => x.isOriginal);
        await updateTrack(w, track, { currentVersionId: original?.id ?? null });
      }
      await tracks.deleteVersion(track.id, v.id, w.tx);
      if (asset) await assets.update(asset.id, { status: 'deleted', updatedAt: nowIso() }, w.tx);
    });
    if (asset) await store.delete(asset.storageKey);
  }

  /**
   * Removes a track everywhere: every surface's rows (their hooks, then the foreign keys'
   * cascades), its lanes, uploads, assets and versions, then every stored file, those under the
   * track's prefix and those a surface filed elsewhere (release media).
   */
  async function purge(track: TrackRow, opts: { actor?: Actor } = {}): Promise<void> {
    const keys = await transaction(async (w) => {
      const owned = await assets.listForTrack(track.tenantId, track.id, undefined, w.tx);
      for (const hook of purgeHooks) await hook(w.tx, track);
      await processing.deleteForTrack(track.id, w.tx);
      await assets.deleteUploadsForTrack(track.id, w.tx);
      await assets.deleteForTrack(track.id, w.tx);
      await tracks.hardDelete(track.tenantId, track.id, w.tx);
      w.emit({ type: 'track.deleted', tenantId: track.tenantId, trackId: track.id, collectionId: track.collectionId, title: track.title, isrc: track.isrc });
      return owned.map((a) => a.storageKey);
    }, opts);
    const prefix = trackPrefix(track.tenantId, track.id);
    for (const key of keys) if (!key.startsWith(`${prefix}/`)) await store.delete(key);
    await store.deletePrefix(prefix);
  }

  return {
    transaction,
    createTrack,
    updateTrack,
    insertAsset,
    removeAsset,
    attachVersion,
    promote,
    deleteVersion,
    purge,
    /** A surface's own rows to remove with a track (those a foreign key does not cascade). */
    onPurge: (hook: PurgeHook): void => void purgeHooks.push(hook),
  };
}
export type Catalog = ReturnType<typeof createCatalog>;

/** The patched fields whose value differs from the row as it was, where the row has them. */
function changesOf(before: Partial<TrackRow>, patch: TrackPatch, fields: string[]): FieldChanges | undefined {
  const changes: FieldChanges = {};
  for (const f of fields) {
    if (!(f in before)) continue;
    const from = (before as Record<string, unknown>)[f];
    const to = (patch as Record<string, unknown>)[f];
    if (from !== to) changes[f] = { from, to };
  }
  return Object.keys(changes).length ? changes : undefined;
}
