import type { CoreDeps } from '../../container.js';
import type { WorkspaceRepositories } from '../../repositories/workspace/index.js';
import { nowIso, parseJson } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { formatShare, isShareError, parseShare } from '../../domain/shares.js';
import { deriveRights, validateSplitSheet, type PublisherEntry, type SplitEntry, type SplitSheetInput } from '../../domain/split-sheet.js';
import { unprocessable } from '../../errors.js';
import type { CollaboratorRow } from '../../repositories/workspace/collaborator.repository.js';
import type { SplitSheetRow } from '../../repositories/workspace/split-sheet.repository.js';
import type { TrackRow } from '../../repositories/track.repository.js';
import { scopeOf, type TrackFinder } from './scope.js';

type Share = number | string;
export interface SplitEntryInput {
  collaboratorId: string;
  percentage: Share;
  role?: string;
}
export interface CollectionSplitInput {
  collaboratorId: string;
  percentage: Share;
  territory?: string;
}
export interface PublisherInput {
  collaboratorId: string;
  percentage: Share;
  subPublishers?: PublisherInput[];
  collectionSplits?: CollectionSplitInput[];
}
export interface SplitSheetReplaceInput {
  address?: string | null;
  intendedUse?: string | null;
  master: SplitEntryInput[];
  writers: SplitEntryInput[];
  publishers?: PublisherInput[];
}

export interface StoredSheet {
  address: string | null;
  intendedUse: string | null;
  master: SplitEntry[];
  writers: SplitEntry[];
  publishers: PublisherEntry[];
}

export interface SheetView extends StoredSheet {
  trackId: string;
  exists: boolean;
  validatedAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  collaborators: Map<string, CollaboratorRow>;
}

const share = (p: Share): number => {
  const parsed = parseShare(p);
  return isShareError(parsed) ? Number.NaN : formatShare(parsed.hundredths);
};

function normalizePublishers(list: PublisherInput[] | undefined): PublisherEntry[] {
  return (list ?? []).map((p) => ({
    collaboratorId: p.collaboratorId,
    percentage: share(p.percentage),
    subPublishers: normalizePublishers(p.subPublishers),
    collectionSplits: (p.collectionSplits ?? []).map((c) => ({ collaboratorId: c.collaboratorId, percentage: share(c.percentage), ...(c.territory ? { territory: c.territory } : {}) })),
  }));
}

/** Every collaborator reference in a sheet with the path it sits at. */
export function partiesOf(sheet: Pick<SplitSheetInput, 'master' | 'writers' | 'publishers'>): Array<{ id: string; path: string }> {
  const out: Array<{ id: string; path: string }> = [];
  sheet.master.forEach((e, i) => out.push({ id: e.collaboratorId, path: `master[${i}].collaboratorId` }));
  sheet.writers.forEach((e, i) => out.push({ id: e.collaboratorId, path: `writers[${i}].collaboratorId` }));
  const walk = (list: PublisherEntry[] | undefined, path: string) =>
    (list ?? []).forEach((p, i) => {
      out.push({ id: p.collaboratorId, path: `${path}[${i}].collaboratorId` });
      (p.collectionSplits ?? []).forEach((c, j) => out.push({ id: c.collaboratorId, path: `${path}[${i}].collectionSplits[${j}].collaboratorId` }));
      walk(p.subPublishers, `${path}[${i}].subPublishers`);
    });
  walk(sheet.publishers, 'publishers');
  return out;
}

export const storedSheetOf = (row: SplitSheetRow): StoredSheet => ({
  address: row.address,
  intendedUse: row.intendedUse,
  master: parseJson<SplitEntry[]>(row.master, []),
  writers: parseJson<SplitEntry[]>(row.writers, []),
  publishers: parseJson<PublisherEntry[]>(row.publishers, []),
});

/** Split sheets: replaced wholesale, stored only when balanced; rights are derived from them. */
export function createSplitSheetService(deps: { core: CoreDeps<'db' | 'catalog'>; repos: Pick<WorkspaceRepositories, 'splitSheets' | 'collaborators'>; findTrack: TrackFinder }) {
  const { core, findTrack } = deps;
  const { splitSheets: sheets, collaborators } = deps.repos;

  /** The sheet of a track already authorised (public review links come through here too). */
  async function viewOf(track: TrackRow): Promise<SheetView> {
    const row = await sheets.find(track.id);
    const stored: StoredSheet = row ? storedSheetOf(row) : { address: null, intendedUse: null, master: [], writers: [], publishers: [] };
    const ids = [...new Set(partiesOf(stored).map((p) => p.id))];
    const people = await collaborators.findInTenant(track.tenantId, ids);
    return {
      trackId: track.id,
      exists: !!row,
      ...stored,
      validatedAt: row?.validatedAt ?? null,
      createdAt: row?.createdAt ?? null,
      updatedAt: row?.updatedAt ?? null,
      collaborators: new Map(people.map((c) => [c.id, c])),
    };
  }

  async function get(actor: Actor, trackId: string): Promise<SheetView> {
    return viewOf(await findTrack(scopeOf(actor), trackId));
  }

  async function replace(actor: Actor, trackId: string, input: SplitSheetReplaceInput): Promise<SheetView> {
    const scope = scopeOf(actor);
    const track = await findTrack(scope, trackId);
    const sheet: StoredSheet = {
      address: input.address ?? null,
      intendedUse: input.intendedUse ?? null,
      master: input.master.map((e) => ({ collaboratorId: e.collaboratorId, percentage: share(e.percentage), ...(e.role ? { role: e.role } : {}) })),
      writers: input.writers.map((e) => ({ collaboratorId: e.collaboratorId, percentage: share(e.percentage), ...(e.role ? { role: e.role } : {}) })),
      publishers: normalizePublishers(input.publishers),
    };
    // The domain rules read the shares as sent, so precision faults are reported rather than rounded away.
    const issues: Array<{ path: string; code: string; message: string }> = validateSplitSheet(input as unknown as SplitSheetInput);
    const parties = partiesOf(sheet);
    const known = new Set((await collaborators.findMany({ tenantId: scope.tenantId, ownerUserId: scope.ownerUserId }, [...new Set(parties.map((p) => p.id))])).map((c) => c.id));
    for (const p of parties) {
      if (p.id.trim() !== '' && !known.has(p.id)) issues.push({ path: p.path, code: 'unknown_collaborator', message: `Collaborator ${p.id} does not exist` });
    }
    if (issues.length) {
      throw unprocessable('split_sheet_structural_validation_failed', 'The split sheet does not balance', { issues });
    }
    const now = nowIso();
    const existing = await sheets.find(track.id);
    await core.catalog.transaction(async ({ tx, emit }) => {
      emit({ type: 'split_sheet.updated', tenantId: track.tenantId, trackId: track.id });
      await sheets.replace(
        {
          trackId: track.id,
          tenantId: track.tenantId,
          address: sheet.address,
          intendedUse: sheet.intendedUse,
          master: JSON.stringify(sheet.master),
          writers: JSON.stringify(sheet.writers),
          publishers: JSON.stringify(sheet.publishers),
          validatedAt: now,
          updatedByUserId: actor.userId,
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        },
        [...known],
        tx,
      );
    });
    return viewOf(track);
  }

  /** Per-collaborator shares derived from the split sheet (empty and incomplete while there is none). */
  async function rights(actor: Actor, trackId: string) {
    const view = await get(actor, trackId);
    if (!view.exists) return { trackId, entries: [], status: { isComplete: false, validationErrors: [], validatedAt: null }, collaborators: view.collaborators };
    const derived = deriveRights({ ...view, address: view.address ?? undefined, intendedUse: view.intendedUse ?? undefined }, view.validatedAt ?? nowIso());
    return { trackId, ...derived, collaborators: view.collaborators };
  }

  return { get, replace, rights, viewOf };
}
export type SplitSheetService = ReturnType<typeof createSplitSheetService>;
