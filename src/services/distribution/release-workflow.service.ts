import type { CoreDeps } from '../../container.js';
import { crashPoint } from '../../crash-points.js';
import { nowIso } from '../../db/time.js';
import type { Actor } from '../../domain/access.js';
import { canTransition, isReleaseStatus, releaseCompleteness, revertStatus, type ReleaseStatus } from '../../domain/release-status.js';
import { uniqueViolation } from '../../db/unique-violation.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { DistributionRepositories } from '../../repositories/distribution/index.js';
import { requireAdmin, requireWriter } from './access.js';
import type { AuditTrail } from './audit-trail.js';
import type { Work } from '../../catalog/catalog.js';
import { clearApprovalArtifacts, createProductFromRelease } from './release-approval.js';
import { mediaOf, type ReleaseView } from './release-views.js';
import type { ReleaseService } from './release.service.js';
import type { ReadinessIssue } from '../../domain/ddex-readiness.js';
import type { ReleaseRow } from '../../repositories/distribution/release.repository.js';
import type { ReleaseTrackRow } from '../../repositories/distribution/release-track.repository.js';

export type ReviewAction = 'approve' | 'reject';

/** A concurrent writer that took the same UPC or ISRC first makes approval a 409, not a 500. */
async function translateConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const index = uniqueViolation(err);
    if (!index) throw err;
    throw conflict(index.includes('isrc') ? 'isrc_taken' : 'upc_taken', index.includes('isrc') ? 'An ISRC of this release is already used by another asset' : 'The UPC of this release is already used by another product');
  }
}

/** The review workflow: draft -> submitted -> approved | rejected, approved -> completed, and admin reverts. */
export interface ReleaseWorkflowServiceDeps {
  /** `config`, `tenants` and `tracks` for what approval creates. */
  core: CoreDeps<'catalog' | 'config', 'tenants' | 'tracks'>;
  repos: Pick<DistributionRepositories, 'releases' | 'releaseTracks' | 'products' | 'assetDetails' | 'artists'>;
  audit: AuditTrail;
  releases: ReleaseService;
  /** What would stop the release's delivery (DDEX readiness), checked on submit. */
  deliveryIssues?: (release: ReleaseRow, tracks: ReleaseTrackRow[]) => Promise<ReadinessIssue[]>;
}

export function createReleaseWorkflowService(deps: ReleaseWorkflowServiceDeps) {
  const { core, repos, audit, releases } = deps;

  async function locked(actor: Actor, id: string, tx: Parameters<typeof repos.releases.lock>[2]) {
    const release = await repos.releases.lock(actor.tenantId, id, tx);
    if (!release) throw notFound('release_not_found', 'Release not found');
    if (!isReleaseStatus(release.status)) throw badRequest('invalid_status', `Release has an unknown status ${release.status}`);
    return release as typeof release & { status: ReleaseStatus };
  }

  /** Every status change is audited and published, in the transaction that makes it. */
  async function statusChanged(w: Work, actor: Actor, id: string, change: { from: string; to: string; via: string; note?: string | null }): Promise<void> {
    await audit.statusChange(actor, id, change, w.tx);
    w.emit({ type: 'release.status_changed', tenantId: actor.tenantId, releaseId: id, from: change.from, to: change.to });
  }

  /** Delivery issues the completeness check does not already name (no audio, no display artist). */
  async function deliveryProblems(actor: Actor, id: string): Promise<ReadinessIssue[]> {
    if (!deps.deliveryIssues) return [];
    const release = await repos.releases.find(actor.tenantId, id);
    if (!release) return [];
    const issues = await deps.deliveryIssues(release, await repos.releaseTracks.listForRelease(id));
    return issues.filter((i) => i.code !== 'audio_missing' && !(i.code === 'display_artist_missing' && i.trackNumber));
  }

  async function submit(actor: Actor, id: string): Promise<ReleaseView> {
    requireWriter(actor);
    // Reading the masters' bytes happens before the transaction, which then re-checks the rest.
    const delivery = await deliveryProblems(actor, id);
    await core.catalog.transaction(async (w) => {
      const tx = w.tx;
      const release = await locked(actor, id, tx);
      if (!canTransition(release.status, 'submitted', 'submit')) {
        throw badRequest('invalid_status_transition', `Only draft releases can be submitted; this release is ${release.status}`);
      }
      const tracks = await repos.releaseTracks.listForRelease(id, tx);
      const problems = releaseCompleteness({
        title: release.title,
        tracks: tracks.map((t) => ({ title: t.title, displayArtist: t.displayArtist, hasAudio: mediaOf(t).some((m) => m.type === 'audio' || m.type === 'video') })),
      });
      const all = [...problems, ...delivery.map((i) => i.message)];
      if (all.length) {
        throw badRequest('release_incomplete', `Release is not ready to submit: ${all.join('; ')}`, { details: { problems: all, ...(delivery.length ? { readiness: delivery } : {}) } });
      }
      const now = nowIso();
      await repos.releases.update(id, { status: 'submitted', submittedAt: now, updatedAt: now }, tx);
      await statusChanged(w, actor, id, { from: release.status, to: 'submitted', via: 'submit' });
    }, { actor });
    return releases.get(actor, id);
  }

  /** Approving creates the product and assets in the same transaction as the status change. */
  async function review(actor: Actor, id: string, input: { action: ReviewAction; feedback?: string | null }): Promise<ReleaseView> {
    requireAdmin(actor);
    const to: ReleaseStatus = input.action === 'approve' ? 'approved' : 'rejected';
    await translateConflicts(() => core.catalog.transaction(async (w) => {
      const tx = w.tx;
      const release = await locked(actor, id, tx);
      if (!canTransition(release.status, to, 'review')) {
        throw badRequest('invalid_status_transition', `Only submitted releases can be reviewed; this release is ${release.status}`);
      }
      const now = nowIso();
      const created = to === 'approved' ? await createProductFromRelease({ core, repos, audit }, actor, release, w) : null;
      crashPoint('release.approve.product-created');
      await repos.releases.update(
        id,
        { status: to, feedback: input.feedback ?? null, reviewedAt: now, reviewedBy: actor.userId, updatedAt: now, ...(created ? { productId: created.productId, upc: created.upc } : {}) },
        tx,
      );
      await statusChanged(w, actor, id, { from: release.status, to, via: 'review', note: input.feedback ?? null });
    }, { actor }));
    return releases.get(actor, id);
  }

  /**
   * An administrator's step backwards. Leaving `approved` (or further) for draft or submitted
   * removes what approval created; the UPC stays on the release for the next approval.
   */
  async function revert(actor: Actor, id: string, input: { targetStatus: string; reason: string }) {
    requireAdmin(actor);
    if (!input.reason?.trim()) throw badRequest('validation_error', 'reason is required');
    if (!isReleaseStatus(input.targetStatus)) throw badRequest('validation_error', `targetStatus ${input.targetStatus} is not a release status`);
    const target = input.targetStatus;
    return core.catalog.transaction(async (w) => {
      const tx = w.tx;
      const release = await locked(actor, id, tx);
      const previousStatus = release.status;
      try {
        revertStatus(previousStatus, target);
      } catch {
        throw badRequest('invalid_status_transition', `A ${previousStatus} release cannot be reverted to ${target}`);
      }
      const undoApproval = (previousStatus === 'approved' || previousStatus === 'completed') && target !== 'approved';
      if (undoApproval) await clearApprovalArtifacts({ repos, audit }, actor, release, w);
      await repos.releases.update(id, { status: target, updatedAt: nowIso(), ...(undoApproval ? { productId: null } : {}) }, tx);
      await statusChanged(w, actor, id, { from: previousStatus, to: target, via: 'revert', note: input.reason.trim() });
      return { id, status: target, previousStatus, reason: input.reason.trim() };
    }, { actor });
  }

  async function complete(actor: Actor, id: string): Promise<ReleaseView> {
    requireAdmin(actor);
    await core.catalog.transaction(async (w) => {
      const tx = w.tx;
      const release = await locked(actor, id, tx);
      if (!canTransition(release.status, 'completed', 'complete')) {
        throw badRequest('invalid_status_transition', `Only approved releases can be completed; this release is ${release.status}`);
      }
      await repos.releases.update(id, { status: 'completed', updatedAt: nowIso() }, tx);
      await statusChanged(w, actor, id, { from: release.status, to: 'completed', via: 'complete' });
    }, { actor });
    return releases.get(actor, id);
  }

  return { submit, review, revert, complete };
}
export type ReleaseWorkflowService = ReturnType<typeof createReleaseWorkflowService>;
