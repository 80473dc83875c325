import type { Bool, Json, Timestamp } from './foundation.js';

/** AudioDN organization settings of a tenant (the organization is the tenant). */
export interface OrganizationSettingsTable {
  tenantId: string;
  /** ImageColor[] as JSON. */
  theme: Json;
  isThemeOverridable: Bool;
  isCoverOverridable: Bool;
  playerColor: string | null;
  playerSubtitle: string | null;
  updatedAt: Timestamp;
}

export interface CreatorsTable {
  id: string;
  tenantId: string;
  organizationIndex: string;
  folderId: string;
  metadata: Json;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface CollectionsTable {
  id: string;
  tenantId: string;
  creatorId: string | null;
  organizationIndex: string | null;
  title: string;
  metadata: Json;
  theme: Json;
  isCoverOverridable: Bool;
  isThemeOverridable: Bool;
  playerColor: string | null;
  /** 'client' when set through the API, 'cover' when taken from the cover image. */
  playerColorSource: string | null;
  playerSubtitle: string | null;
  coverAssetId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** AudioDN-only fields of a track, keyed by the shared track id. */
export interface CollectionTracksTable {
  trackId: string;
  tenantId: string;
  creatorId: string | null;
  organizationIndex: string | null;
  fileName: string | null;
  metadata: Json;
  playerTitle: string | null;
  playerSubtitle: string | null;
  playerColor: string | null;
  playerColorSource: string | null;
  isCoverOverridable: Bool;
  isThemeOverridable: Bool;
  uploadSessionId: string | null;
  /** Track-specific variants queued or rendering; the track reads `processing` meanwhile. */
  variantsRendering: number;
  variantsFailed: number;
  /** Last status a `track.status_changed` webhook was recorded for. */
  notifiedStatus: string | null;
  filesCompletedAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** Track-specific variants (organization defaults are derived from the playback configuration). */
export interface CollectionVariantsTable {
  id: string;
  tenantId: string;
  trackId: string;
  variantIndex: string;
  variantType: string;
  codec: string;
  bitrate: number;
  channels: number;
  isStripTags: Bool;
  isStripCover: Bool;
  /** Preview settings as JSON (type, seconds, percents, start). */
  preview: Json;
  status: string;
  storageKey: string | null;
  mimeType: string | null;
  fileSize: number | null;
  durationMs: number | null;
  error: string | null;
  jobId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  completedAt: Timestamp | null;
}

export interface UploadSessionsTable {
  id: string;
  tenantId: string;
  collectionId: string;
  creatorId: string | null;
  organizationIndex: string | null;
  metadata: Json;
  apiKeyId: string | null;
  expiresAt: Timestamp;
  createdAt: Timestamp;
}

export interface PlaySessionsTable {
  id: string;
  tenantId: string;
  scope: string;
  collectionId: string | null;
  trackId: string | null;
  creatorId: string | null;
  organizationIndex: string | null;
  metadata: Json;
  variants: Json;
  isDownloadable: Bool;
  apiKeyId: string | null;
  expiresAt: Timestamp;
  createdAt: Timestamp;
}

/** What a key minted through `POST /v1/api_key` carries beyond the shared api_keys row. */
export interface ApiKeyGrantsTable {
  apiKeyId: string;
  tenantId: string;
  title: string;
  creatorId: string | null;
  variants: Json;
  isDownloadable: Bool;
  createdAt: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  tenantId: string;
  event: string;
  payload: Json;
  status: string;
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deliveredAt: Timestamp | null;
}

/** Tables of the collections surface (see migrations). */
export interface CollectionsTables {
  organizationSettings: OrganizationSettingsTable;
  creators: CreatorsTable;
  collections: CollectionsTable;
  collectionTracks: CollectionTracksTable;
  collectionVariants: CollectionVariantsTable;
  uploadSessions: UploadSessionsTable;
  playSessions: PlaySessionsTable;
  apiKeyGrants: ApiKeyGrantsTable;
  webhookDeliveries: WebhookDeliveriesTable;
}
