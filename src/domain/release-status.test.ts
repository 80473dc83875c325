import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  isEditable,
  isReleaseStatus,
  nextStatuses,
  RELEASE_STATUSES,
  releaseCompleteness,
  revertStatus,
  StatusTransitionError,
  type ReleaseStatus,
  type TransitionVia,
} from './release-status.js';

const VIAS: TransitionVia[] = ['submit', 'review', 'complete', 'edit', 'revert'];

/** The allowed moves, written out independently of the implementation. */
const ALLOWED = new Set([
  'draft>submitted:submit',
  'submitted>approved:review',
  'submitted>rejected:review',
  'approved>completed:complete',
  'rejected>draft:edit',
  'submitted>draft:revert',
  'approved>draft:revert',
  'approved>submitted:revert',
  'rejected>draft:revert',
  'rejected>submitted:revert',
  'completed>approved:revert',
]);

const every = RELEASE_STATUSES.flatMap((from) =>
  RELEASE_STATUSES.flatMap((to) => VIAS.map((via) => [from, to, via] as [ReleaseStatus, ReleaseStatus, TransitionVia])),
);

describe('canTransition', () => {
  it.each(every)('%s -> %s via %s', (from, to, via) => {
    expect(canTransition(from, to, via)).toBe(ALLOWED.has(`${from}>${to}:${via}`));
  });

  it('never allows staying in place', () => {
    for (const s of RELEASE_STATUSES) for (const via of VIAS) expect(canTransition(s, s, via)).toBe(false);
  });

  it('is false for unknown statuses or causes, including prototype keys', () => {
    expect(canTransition('draft', 'submitted', 'approve' as TransitionVia)).toBe(false);
    expect(canTransition('archived' as ReleaseStatus, 'draft', 'revert')).toBe(false);
    expect(canTransition('draft', 'submitted', '__proto__' as TransitionVia)).toBe(false);
    expect(canTransition('constructor' as ReleaseStatus, 'draft', 'revert')).toBe(false);
    expect(canTransition('toString' as ReleaseStatus, 'draft', 'submit')).toBe(false);
  });
});

describe('nextStatuses', () => {
  it.each<[ReleaseStatus, TransitionVia | undefined, ReleaseStatus[]]>([
    ['draft', undefined, ['submitted']],
    ['submitted', undefined, ['draft', 'approved', 'rejected']],
    ['submitted', 'review', ['approved', 'rejected']],
    ['approved', undefined, ['draft', 'submitted', 'completed']],
    ['approved', 'revert', ['draft', 'submitted']],
    ['rejected', undefined, ['draft', 'submitted']],
    ['rejected', 'edit', ['draft']],
    ['completed', undefined, ['approved']],
    ['completed', 'complete', []],
  ])('from %s via %s', (from, via, expected) => {
    expect(nextStatuses(from, via)).toEqual(expected);
  });
});

describe('assertTransition', () => {
  it('passes silently for an allowed move', () => {
    expect(() => assertTransition('draft', 'submitted', 'submit')).not.toThrow();
  });

  it('throws a StatusTransitionError carrying the attempted move', () => {
    let caught: unknown;
    try {
      assertTransition('draft', 'approved', 'review');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StatusTransitionError);
    expect(caught).toBeInstanceOf(Error);
    const err = caught as StatusTransitionError;
    expect(err).toMatchObject({ name: 'StatusTransitionError', from: 'draft', to: 'approved', via: 'review' });
    expect(err.message).toContain('draft');
    expect(err.message).toContain('approved');
  });

  it('rejects a workflow move made through the wrong cause', () => {
    expect(() => assertTransition('submitted', 'draft', 'edit')).toThrow(StatusTransitionError);
    expect(() => assertTransition('rejected', 'submitted', 'submit')).toThrow(StatusTransitionError);
  });
});

describe('revertStatus', () => {
  it.each<[ReleaseStatus, ReleaseStatus]>([
    ['submitted', 'draft'],
    ['approved', 'draft'],
    ['approved', 'submitted'],
    ['rejected', 'draft'],
    ['rejected', 'submitted'],
    ['completed', 'approved'],
  ])('allows %s -> %s', (from, to) => {
    expect(revertStatus(from, to)).toBe(to);
  });

  it.each<[ReleaseStatus, ReleaseStatus]>([
    ['draft', 'draft'],
    ['draft', 'submitted'],
    ['submitted', 'approved'],
    ['approved', 'completed'],
    ['completed', 'draft'],
    ['completed', 'submitted'],
    ['completed', 'rejected'],
    ['rejected', 'approved'],
  ])('refuses %s -> %s', (from, to) => {
    expect(() => revertStatus(from, to)).toThrow(StatusTransitionError);
  });
});

describe('isEditable', () => {
  it.each<[ReleaseStatus, boolean]>([
    ['draft', true],
    ['rejected', true],
    ['submitted', false],
    ['approved', false],
    ['completed', false],
  ])('%s -> %s', (status, editable) => expect(isEditable(status)).toBe(editable));
});

describe('isReleaseStatus', () => {
  it('recognises exactly the five statuses', () => {
    for (const s of RELEASE_STATUSES) expect(isReleaseStatus(s)).toBe(true);
    for (const s of ['Draft', 'archived', '', null, 1, 'toString']) expect(isReleaseStatus(s)).toBe(false);
  });
});

describe('releaseCompleteness', () => {
  const track = { title: 'Song', displayArtist: 'Ana', hasAudio: true };

  it('is empty for a complete release', () => {
    expect(releaseCompleteness({ title: 'Album', tracks: [track, { ...track, title: null }] })).toEqual([]);
  });

  it.each([undefined, null, '', '   '])('flags title %j', (title) => {
    expect(releaseCompleteness({ title, tracks: [track] })).toEqual(['Release has no title']);
  });

  it('flags a release without tracks', () => {
    expect(releaseCompleteness({ title: 'Album', tracks: [] })).toEqual(['Release has no tracks']);
    expect(releaseCompleteness({ title: 'Album' } as never)).toEqual(['Release has no tracks']);
  });

  it('numbers track problems from 1 and lists each one', () => {
    expect(
      releaseCompleteness({
        title: null,
        tracks: [track, { ...track, hasAudio: false }, { ...track, displayArtist: ' ' }, { hasAudio: false }],
      }),
    ).toEqual([
      'Release has no title',
      'Track 2 has no audio',
      'Track 3 has no display artist',
      'Track 4 has no audio',
      'Track 4 has no display artist',
    ]);
  });
});
