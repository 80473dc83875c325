import type { Bool, Json, Timestamp } from './foundation.js';
import type { Generated } from 'kysely';

export interface TracksTable {
  id: string;
  tenantId: string;
  ownerUserId: string | null;
  collectionId: string | null;
  title: string;
  artist: string | null;
  isrc: string | null;
  iswc: string | null;
  releaseDate: string | null;
  durationMs: number | null;
  bpm: number | null;
  musicalKey: string | null;
  genre: string | null;
  visibility: string;
  status: string;
  currentVersionId: string | null;
  artworkAssetId: string | null;
  metadata: Json;
  userTags: Json;
  lyrics: string | null;
  lyricsSource: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deletedAt: Timestamp | null;
}

/** Every stored file: audio sources, artwork, documents, stems, covers, transcodes, waveforms. */
export interface AssetsTable {
  id: string;
  tenantId: string;
  trackId: string | null;
  ownerUserId: string | null;
  kind: string;
  name: string | null;
  status: string;
  storageKey: string;
  fileName: string;
  contentType: string;
  declaredSize: number | null;
  size: number | null;
  metadata: Json;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  uploadedAt: Timestamp | null;
  expiresAt: Timestamp | null;
}

export interface TrackVersionsTable {
  id: string;
  tenantId: string;
  trackId: string;
  assetId: string;
  label: string | null;
  isOriginal: Bool;
  createdAt: Timestamp;
}

export interface UploadsTable {
  id: string;
  tenantId: string;
  assetId: string;
  trackId: string | null;
  versionId: string | null;
  kind: string;
  ownerUserId: string | null;
  status: string;
  /** Finalized when the bytes arrive (collections API) instead of by an explicit call. */
  autoFinalize: Bool;
  /** The upload created its track, so an abandoned upload takes the track with it. */
  createdTrack: Bool;
  /** Kind-specific extras (stem name, version label, collection id of a cover). */
  meta: Json;
  expiresAt: Timestamp;
  createdAt: Timestamp;
  finalizedAt: Timestamp | null;
  /** pending (the signed URL may write), writing (one PUT holds it), written (used up). */
  writeState: UploadWriteState;
  /** Who holds the claim: only that PUT may complete or release it. */
  writeClaim: string | null;
  /** When the current claim began: a claim older than the lease belonged to a writer that died. */
  writeStartedAt: Timestamp | null;
  /** The object's size and ETag when finalized. */
  writtenSize: number | null;
  writtenEtag: string | null;
}

export type UploadWriteState = 'pending' | 'writing' | 'written';

export interface JobsTable {
  id: string;
  name: string;
  payload: Json;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: Timestamp;
  lockedUntil: Timestamp | null;
  lockedBy: string | null;
  lastError: string | null;
  singletonKey: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ProcessingLanesTable {
  id: string;
  tenantId: string;
  trackId: string;
  assetId: string;
  lane: string;
  status: string;
  attempts: number;
  error: string | null;
  result: Json;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface EmbeddingsTable {
  assetId: string;
  tenantId: string;
  trackId: string;
  dims: number;
  vector: string;
  createdAt: Timestamp;
}

export interface RemoteDispatchesTable {
  id: string;
  tenantId: string;
  trackId: string;
  assetId: string;
  lane: string;
  status: string;
  requestUrl: string;
  attempts: number;
  error: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  completedAt: Timestamp | null;
}

export interface TrackEventsTable {
  id: string;
  tenantId: string;
  trackId: string;
  type: string;
  shareLinkId: string | null;
  actorUserId: string | null;
  meta: Json;
  createdAt: Timestamp;
}

/** A terminal state of an audio version that was announced as `track.ready` / `track.failed`. */
export interface CatalogAnnouncementsTable {
  assetId: string;
  state: string;
  tenantId: string;
  trackId: string;
  createdAt: Timestamp;
}

/** Notes migrations leave for operators (what a data repair found). */
export interface SchemaNotesTable {
  migration: string;
  note: string;
  createdAt: Timestamp;
}

/** When a pending auto-finalize upload is next looked for in an S3 store (migration 0013). */
export interface UploadWatchTable {
  uploadId: string;
  nextCheckAt: string;
  checks: Generated<number>;
}

/** Events of a committed catalog transaction not yet published (migration 0017). */
export interface EventOutboxTable {
  id: string;
  /** The transaction's events, as a JSON array. */
  events: Json;
  createdAt: Timestamp;
  dueAt: Timestamp;
}

/** An object streamed into the store before its owner's row was committed (migration 0018). */
export interface PendingObjectsTable {
  storageKey: string;
  tenantId: string;
  createdAt: Timestamp;
}

export interface CatalogTables {
  tracks: TracksTable;
  assets: AssetsTable;
  trackVersions: TrackVersionsTable;
  uploads: UploadsTable;
  uploadWatch: UploadWatchTable;
  jobs: JobsTable;
  processingLanes: ProcessingLanesTable;
  embeddings: EmbeddingsTable;
  remoteDispatches: RemoteDispatchesTable;
  trackEvents: TrackEventsTable;
  catalogAnnouncements: CatalogAnnouncementsTable;
  schemaNotes: SchemaNotesTable;
  eventOutbox: EventOutboxTable;
  pendingObjects: PendingObjectsTable;
}
