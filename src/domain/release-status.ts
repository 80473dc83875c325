export const RELEASE_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'completed'] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** What moved the release: the normal workflow steps, or an administrator's revert. */
export type TransitionVia = 'submit' | 'review' | 'complete' | 'edit' | 'revert';

/**
 * Every allowed move, keyed by what causes it:
 *
 * | via      | from      | to                  |
 * |----------|-----------|---------------------|
 * | submit   | draft     | submitted           |
 * | review   | submitted | approved, rejected  |
 * | complete | approved  | completed           |
 * | edit     | rejected  | draft               |
 * | revert   | submitted | draft               |
 * | revert   | approved  | draft, submitted    |
 * | revert   | rejected  | draft, submitted    |
 * | revert   | completed | approved            |
 *
 * Reverts step backwards only, and a completed release can only be reopened as far as
 * approved, so delivery history is never silently discarded.
 */
const TRANSITIONS: Readonly<Record<TransitionVia, Readonly<Partial<Record<ReleaseStatus, readonly ReleaseStatus[]>>>>> = {
  submit: { draft: ['submitted'] },
  review: { submitted: ['approved', 'rejected'] },
  complete: { approved: ['completed'] },
  edit: { rejected: ['draft'] },
  revert: {
    submitted: ['draft'],
    approved: ['draft', 'submitted'],
    rejected: ['draft', 'submitted'],
    completed: ['approved'],
  },
};

export class StatusTransitionError extends Error {
  readonly from: ReleaseStatus;
  readonly to: ReleaseStatus;
  readonly via: TransitionVia;

  constructor(from: ReleaseStatus, to: ReleaseStatus, via: TransitionVia) {
    super(`A release cannot go from ${from} to ${to} (${via})`);
    this.name = 'StatusTransitionError';
    this.from = from;
    this.to = to;
    this.via = via;
  }
}

export const isReleaseStatus = (value: unknown): value is ReleaseStatus =>
  typeof value === 'string' && (RELEASE_STATUSES as readonly string[]).includes(value);

export function canTransition(from: ReleaseStatus, to: ReleaseStatus, via: TransitionVia): boolean {
  // Own-property lookups only: the inputs may be unchecked strings such as "__proto__".
  const byVia = Object.hasOwn(TRANSITIONS, via) ? TRANSITIONS[via] : undefined;
  const targets = byVia && Object.hasOwn(byVia, from) ? byVia[from] : undefined;
  return targets !== undefined && targets.includes(to);
}

/** Statuses reachable from `from` in one step, optionally limited to one cause. */
export function nextStatuses(from: ReleaseStatus, via?: TransitionVia): ReleaseStatus[] {
  const vias = via ? [via] : (Object.keys(TRANSITIONS) as TransitionVia[]);
  return RELEASE_STATUSES.filter((to) => vias.some((v) => canTransition(from, to, v)));
}

export function assertTransition(from: ReleaseStatus, to: ReleaseStatus, via: TransitionVia): void {
  if (!canTransition(from, to, via)) throw new StatusTransitionError(from, to, via);
}

/** An administrator's step backwards; returns the new status or throws StatusTransitionError. */
export function revertStatus(from: ReleaseStatus, target: ReleaseStatus): ReleaseStatus {
  assertTransition(from, target, 'revert');
  return target;
}

/** Metadata can change only before submission or after a rejection. */
export const isEditable = (status: ReleaseStatus): boolean => status === 'draft' || status === 'rejected';

export interface CompletenessInput {
  title?: string | null;
  tracks: { title?: string | null; displayArtist?: string | null; hasAudio: boolean }[];
}

const blank = (s: string | null | undefined): boolean => typeof s !== 'string' || s.trim() === '';

/** What still stops a release from being submitted, as sentences for the user; empty when ready. */
export function releaseCompleteness(release: CompletenessInput): string[] {
  const problems: string[] = [];
  if (blank(release.title)) problems.push('Release has no title');
  const tracks = Array.isArray(release.tracks) ? release.tracks : [];
  if (tracks.length === 0) problems.push('Release has no tracks');
  tracks.forEach((track, i) => {
    const n = i + 1;
    if (track.hasAudio !== true) problems.push(`Track ${n} has no audio`);
    if (blank(track.displayArtist)) problems.push(`Track ${n} has no display artist`);
  });
  return problems;
}
