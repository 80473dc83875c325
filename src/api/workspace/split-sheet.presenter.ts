import type { PublisherEntry, RightsStatus, SplitEntry } from '../../domain/split-sheet.js';
import type { CollaboratorRow } from '../../repositories/workspace/collaborator.repository.js';
import type { SheetView } from '../../services/workspace/split-sheet.service.js';
import { compact } from './track.presenter.js';

/** A collaborator record for its owner (the only place the email appears). */
export const presentCollaborator = (c: CollaboratorRow) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  pro: c.pro,
  ipi: c.ipi,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

type People = Map<string, CollaboratorRow>;
const party = (people: People, id: string) => {
  const c = people.get(id);
  return c ? { id: c.id, name: c.name, pro: c.pro, ipi: c.ipi } : null;
};

const entry = (people: People) => (e: SplitEntry) => ({
  collaboratorId: e.collaboratorId,
  collaborator: party(people, e.collaboratorId),
  percentage: e.percentage,
  ...compact({ role: e.role }),
});

function publishers(people: People, list: PublisherEntry[] | undefined): unknown[] {
  return (list ?? []).map((p) => ({
    collaboratorId: p.collaboratorId,
    collaborator: party(people, p.collaboratorId),
    percentage: p.percentage,
    subPublishers: publishers(people, p.subPublishers),
    collectionSplits: (p.collectionSplits ?? []).map((c) => ({
      collaboratorId: c.collaboratorId,
      collaborator: party(people, c.collaboratorId),
      percentage: c.percentage,
      ...compact({ territory: c.territory }),
    })),
  }));
}

/** PublicTrackSplitSheetPayload: no owner ids at any level, no emails. */
export function presentSplitSheet(s: SheetView) {
  return {
    trackId: s.trackId,
    address: s.address,
    intendedUse: s.intendedUse,
    master: s.master.map(entry(s.collaborators)),
    writers: s.writers.map(entry(s.collaborators)),
    publishers: publishers(s.collaborators, s.publishers),
    status: { isBalanced: s.exists, validatedAt: s.validatedAt },
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export function presentRights(r: {
  entries: Array<{ collaboratorId: string; masterShare: number; writerShare: number; publisherShare: number }>;
  status: RightsStatus;
  collaborators: People;
}) {
  return {
    entries: r.entries.map((e) => ({
      collaboratorId: e.collaboratorId,
      name: r.collaborators.get(e.collaboratorId)?.name ?? null,
      masterShare: e.masterShare,
      writerShare: e.writerShare,
      publisherShare: e.publisherShare,
    })),
    status: {
      isComplete: r.status.isComplete,
      validationErrors: r.status.validationErrors.map((i) => ({ path: i.path, code: i.code, message: i.message })),
      validatedAt: r.status.validatedAt,
    },
  };
}
