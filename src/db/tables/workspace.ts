import type { Bool, Json, Timestamp } from './foundation.js';

/** People named on split sheets: writers, performers, labels, publishers. */
export interface WorkspaceCollaboratorsTable {
  id: string;
  tenantId: string;
  ownerUserId: string | null;
  name: string;
  email: string | null;
  pro: string | null;
  ipi: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** One split sheet per track; only balanced sheets are stored, so `validatedAt` is when it was last accepted. */
export interface WorkspaceSplitSheetsTable {
  trackId: string;
  tenantId: string;
  address: string | null;
  intendedUse: string | null;
  master: Json;
  writers: Json;
  publishers: Json;
  validatedAt: Timestamp;
  updatedByUserId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** Which collaborators a sheet names, so a collaborator still on a sheet cannot be deleted. */
export interface WorkspaceSplitSheetPartiesTable {
  trackId: string;
  collaboratorId: string;
}

/** Tokenized links: `track` links grant playback, `split_sheet` links a read-only review. Tokens are stored hashed. */
export interface WorkspaceShareLinksTable {
  id: string;
  tenantId: string;
  trackId: string;
  kind: string;
  name: string | null;
  tokenHash: string;
  tokenPrefix: string;
  allowDownload: Bool;
  /** `scrypt$N$r$p$salt$hash`; links from before 0007 may hold the older hex SHA-256 until their code is next given. */
  accessCodeHash: string | null;
  /** Wrong access codes since the last right one. */
  failedAttempts: number;
  /** No code is checked before this instant. */
  lockedUntil: Timestamp | null;
  expiresAt: Timestamp | null;
  revokedAt: Timestamp | null;
  createdByUserId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** SQLite only: stable integer keys for the full-text index (a text-keyed table's rowid may change on VACUUM). */
export interface WorkspaceTrackFtsIdsTable {
  id: number;
  trackId: string;
}

export interface WorkspaceTables {
  workspaceCollaborators: WorkspaceCollaboratorsTable;
  workspaceSplitSheets: WorkspaceSplitSheetsTable;
  workspaceSplitSheetParties: WorkspaceSplitSheetPartiesTable;
  workspaceShareLinks: WorkspaceShareLinksTable;
  workspaceTrackFtsIds: WorkspaceTrackFtsIdsTable;
}
