import type { Executor } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { assertTransition, isEditable, isReleaseStatus } from '../../domain/release-status.js';
import { badRequest, notFound } from '../../errors.js';
import type { DistributionRepositories } from '../../repositories/distribution/index.js';
import type { ReleaseRow } from '../../repositories/distribution/release.repository.js';
import type { AuditTrail } from './audit-trail.js';

export const notEditable = (status: string) =>
  badRequest(
    'release_not_editable',
    `This release is ${status}: its metadata, tracks and media can only be changed while it is in draft or rejected status`,
  );

/** Reads and locks a release for a write that is only allowed while it is draft or rejected. */
export async function lockEditable(repos: Pick<DistributionRepositories, 'releases'>, actor: Actor, releaseId: string, tx: Executor): Promise<ReleaseRow> {
  const release = await repos.releases.lock(actor.tenantId, releaseId, tx);
  if (!release) throw notFound('release_not_found', 'Release not found');
  if (!isReleaseStatus(release.status) || !isEditable(release.status)) throw notEditable(release.status);
  return release;
}

/** After an edit: a rejected release goes back to draft (recorded); any release gets a new updatedAt. */
export async function markEdited(repos: Pick<DistributionRepositories, 'releases'>, audit: AuditTrail, actor: Actor, release: ReleaseRow, tx: Executor): Promise<void> {
  const now = nowIso();
  if (release.status === 'rejected') {
    assertTransition('rejected', 'draft', 'edit');
    await repos.releases.update(release.id, { status: 'draft', updatedAt: now }, tx);
    await audit.statusChange(actor, release.id, { from: 'rejected', to: 'draft', via: 'edit', note: 'Edited after rejection' }, tx);
    release.status = 'draft';
  } else {
    await repos.releases.update(release.id, { updatedAt: now }, tx);
  }
}
