import type { Bool, Json, Timestamp } from './foundation.js';

/** Tables of the distribution surface (see migrations/0005-distribution.ts). */
export interface DistArtistsTable {
  id: string;
  tenantId: string;
  artistName: string;
  /** Lower-cased, trimmed name: how a release naming an artist finds it. */
  nameKey: string;
  realName: string | null;
  signDate: string | null;
  label: string | null;
  publisher: string | null;
  copyright: string | null;
  externalId: string | null;
  artistImg: string | null;
  links: Json;
  genres: Json;
  pseudonyms: Json;
  biography: string | null;
  extra: Json;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export type ArtistEntityType = 'release' | 'release_track' | 'product' | 'asset';

export interface DistArtistLinksTable {
  id: string;
  tenantId: string;
  entityType: ArtistEntityType;
  entityId: string;
  artistId: string;
  type: string;
  position: number;
}

export interface DistReleasesTable {
  id: string;
  tenantId: string;
  ownerUserId: string | null;
  title: string;
  displayArtist: string | null;
  format: string | null;
  type: string | null;
  version: string | null;
  label: string | null;
  copyright: string | null;
  mainGenre: Json;
  subGenre: Json;
  contributors: Json;
  description: string | null;
  metadata: Json;
  media: Json;
  explicit: string | null;
  releaseDate: string | null;
  preReleaseDate: string | null;
  upc: string | null;
  catalogNumber: string | null;
  status: string;
  feedback: string | null;
  productId: string | null;
  submittedAt: Timestamp | null;
  reviewedAt: Timestamp | null;
  reviewedBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface DistReleaseTracksTable {
  id: string;
  tenantId: string;
  releaseId: string;
  trackNumber: number;
  trackId: string | null;
  title: string;
  version: string | null;
  isrc: string | null;
  iswc: string | null;
  duration: number | null;
  lyrics: string | null;
  language: string;
  displayArtist: string;
  mainGenre: Json;
  subGenre: Json;
  contributors: Json;
  media: Json;
  metadata: Json;
  explicit: Json;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface DistProductsTable {
  id: string;
  tenantId: string;
  code: string;
  ownerUserId: string | null;
  releaseId: string | null;
  upc: string;
  title: string;
  catalogNumber: string | null;
  externalId: string | null;
  displayArtist: string | null;
  type: string;
  format: string | null;
  version: string | null;
  explicit: string | null;
  releaseDate: string | null;
  takedownDate: string | null;
  mainGenre: Json;
  subGenre: Json;
  status: string;
  label: string | null;
  distribution: Json;
  contributors: Json;
  metadata: Json;
  chartHistory: Json;
  totalTracks: number | null;
  totalDiscs: number | null;
  packageType: string | null;
  edition: string | null;
  reissue: Bool;
  originalReleaseDate: string | null;
  recordingLocation: string | null;
  masteringLocation: string | null;
  producer: Json;
  engineer: Json;
  sequenceNumber: number | null;
  parentReleaseId: string | null;
  language: string | null;
  cLineYear: number | null;
  pLineYear: number | null;
  split: Json;
  media: Json;
  files: Json;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface DistProductAssetsTable {
  id: string;
  tenantId: string;
  productId: string;
  assetId: string;
  number: number | null;
  position: number;
}

export interface DistAssetDetailsTable {
  trackId: string;
  tenantId: string;
  isrc: string | null;
  type: string;
  version: string | null;
  displayArtist: string | null;
  mainGenre: Json;
  subGenre: Json;
  explicit: Json;
  language: string | null;
  mood: Json;
  label: string | null;
  copyright: string | null;
  publisher: string | null;
  copyrightOwner: string | null;
  recordingDate: string | null;
  recordingLocation: string | null;
  productionYear: number | null;
  contributors: Json;
  metadata: Json;
  releaseId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface DistWebhookSettingsTable {
  tenantId: string;
  url: string | null;
  secret: string | null;
  isActive: Bool;
  /** JSON list of event names; null takes every event. */
  enabledEvents: Json | null;
  updatedAt: Timestamp;
}

export interface DistWebhookDeliveriesTable {
  id: string;
  tenantId: string;
  event: string;
  category: string;
  resourceType: string;
  resourceId: string;
  url: string;
  payload: Json;
  status: string;
  attempt: number;
  maxAttempts: number;
  nextRetryAt: Timestamp | null;
  responseCode: number | null;
  responseMs: number | null;
  lastError: string | null;
  retriesRequested: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  completedAt: Timestamp | null;
}

export type DeliveryProviderKind = 'sftp' | 's3' | 'folder';
export type DeliveryStatus = 'queued' | 'sending' | 'delivered' | 'failed';

export interface DistDeliveryProvidersTable {
  id: string;
  tenantId: string;
  name: string;
  kind: DeliveryProviderKind;
  /** Kind-specific: host, port, username, privateKey, path | bucket, prefix, endpoint, credentials | path. */
  config: Json;
  recipientPartyId: string;
  recipientName: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface DistDeliveriesTable {
  id: string;
  tenantId: string;
  productId: string;
  providerId: string;
  batchId: string;
  messageKind: string;
  status: DeliveryStatus;
  messageId: string | null;
  bytes: number;
  files: number;
  attempts: number;
  error: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  deliveredAt: Timestamp | null;
}

export interface DistributionTables {
  distArtists: DistArtistsTable;
  distArtistLinks: DistArtistLinksTable;
  distReleases: DistReleasesTable;
  distReleaseTracks: DistReleaseTracksTable;
  distProducts: DistProductsTable;
  distProductAssets: DistProductAssetsTable;
  distAssetDetails: DistAssetDetailsTable;
  distWebhookSettings: DistWebhookSettingsTable;
  distWebhookDeliveries: DistWebhookDeliveriesTable;
  distDeliveryProviders: DistDeliveryProvidersTable;
  distDeliveries: DistDeliveriesTable;
}
