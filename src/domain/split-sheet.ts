import { formatShare, HUNDRED_PERCENT, isShareError, parseShare, sumHundredths } from './shares.js';

export interface SplitEntry {
  collaboratorId: string;
  percentage: number;
  role?: string;
}

export interface CollectionSplit {
  collaboratorId: string;
  percentage: number;
  territory?: string;
}

export interface PublisherEntry {
  collaboratorId: string;
  percentage: number;
  subPublishers?: PublisherEntry[];
  collectionSplits?: CollectionSplit[];
}

export interface SplitSheetInput {
  address?: string;
  intendedUse?: string;
  master: SplitEntry[];
  writers: SplitEntry[];
  publishers?: PublisherEntry[];
}

export type SplitIssueCode =
  | 'empty_list'
  | 'sum_not_100'
  | 'duplicate_collaborator'
  | 'non_positive_share'
  | 'too_many_decimals'
  /** NaN, infinite, absurdly large or not a number at all. */
  | 'invalid_share'
  /** Missing or blank collaboratorId. */
  | 'missing_collaborator';

export interface SplitIssue {
  path: string;
  code: SplitIssueCode;
  message: string;
}

interface ListRules<T> {
  required: boolean;
  /** Two entries with the same key are the same party listed twice. */
  key: (entry: T) => string;
}

type Shared = { collaboratorId: unknown; percentage: unknown };

const byCollaborator = (e: Shared): string => String(e.collaboratorId);

/** A collecting party may legitimately appear once per territory. */
const byCollaboratorAndTerritory = (e: CollectionSplit): string =>
  `${e.collaboratorId}\u0000${typeof e.territory === 'string' ? e.territory.trim().toUpperCase() : ''}`;

const hasId = <E extends Shared>(e: E): e is E & { collaboratorId: string } =>
  typeof e.collaboratorId === 'string' && e.collaboratorId.trim() !== '';

/** Hundredths of an entry, or null when the percentage is unusable. */
function shareOf(e: Shared): number | null {
  const v = e.percentage;
  if (typeof v !== 'number' && typeof v !== 'string') return null;
  const parsed = parseShare(v);
  return isShareError(parsed) ? null : parsed.hundredths;
}

function checkList<T extends Shared>(
  list: readonly T[] | undefined | null,
  path: string,
  rules: ListRules<T>,
  issues: SplitIssue[],
): void {
  if (!Array.isArray(list) || list.length === 0) {
    if (rules.required) issues.push({ path, code: 'empty_list', message: `${path} needs at least one entry` });
    return;
  }

  const firstSeen = new Map<string, number>();
  const shares: number[] = [];
  let allParsed = true;

  list.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    if (entry === null || typeof entry !== 'object') {
      issues.push({ path: at, code: 'missing_collaborator', message: `${at} is not an entry` });
      allParsed = false;
      return;
    }

    if (!hasId(entry)) {
      issues.push({ path: `${at}.collaboratorId`, code: 'missing_collaborator', message: `${at} has no collaborator` });
    } else {
      const key = rules.key(entry);
      const first = firstSeen.get(key);
      if (first === undefined) firstSeen.set(key, i);
      else {
        issues.push({
          path: `${at}.collaboratorId`,
          code: 'duplicate_collaborator',
          message: `Collaborator ${entry.collaboratorId} already appears at ${path}[${first}]`,
        });
      }
    }

    const v = entry.percentage;
    const parsed = typeof v === 'number' || typeof v === 'string' ? parseShare(v) : null;
    if (parsed === null || isShareError(parsed)) {
      allParsed = false;
      const tooPrecise = parsed !== null && parsed.error === 'too_many_decimals';
      issues.push({
        path: `${at}.percentage`,
        code: tooPrecise ? 'too_many_decimals' : 'invalid_share',
        message: tooPrecise ? `${at}.percentage has more than two decimal places` : `${at}.percentage is not a valid percentage`,
      });
      return;
    }
    if (parsed.hundredths <= 0) {
      issues.push({ path: `${at}.percentage`, code: 'non_positive_share', message: `${at}.percentage must be greater than 0` });
    }
    shares.push(parsed.hundredths);
  });

  // With an unreadable share the total is meaningless; that entry's own issue says enough.
  if (!allParsed) return;
  const total = sumHundredths(shares);
  if (total !== HUNDRED_PERCENT) {
    issues.push({ path, code: 'sum_not_100', message: `${path} shares add up to ${formatShare(total)}%, not 100%` });
  }
}

function checkPublishers(list: readonly PublisherEntry[] | undefined, path: string, issues: SplitIssue[]): void {
  checkList(list, path, { required: false, key: byCollaborator }, issues);
  if (!Array.isArray(list)) return;
  list.forEach((p, i) => {
    if (p === null || typeof p !== 'object') return;
    checkPublishers(p.subPublishers, `${path}[${i}].subPublishers`, issues);
    checkList(p.collectionSplits, `${path}[${i}].collectionSplits`, { required: false, key: byCollaboratorAndTerritory }, issues);
  });
}

/**
 * Structural validation of a split sheet. Every fault is reported separately (never just the
 * first), so an editor can mark each offending field.
 */
export function validateSplitSheet(input: SplitSheetInput): SplitIssue[] {
  const issues: SplitIssue[] = [];
  checkList(input.master, 'master', { required: true, key: byCollaborator }, issues);
  checkList(input.writers, 'writers', { required: true, key: byCollaborator }, issues);
  checkPublishers(input.publishers, 'publishers', issues);
  return issues;
}

export interface RightsEntry {
  collaboratorId: string;
  masterShare: number;
  writerShare: number;
  /** The collaborator's top-level publisher percentage; sub-publishing is not folded in. */
  publisherShare: number;
}

export interface RightsStatus {
  isComplete: boolean;
  validationErrors: SplitIssue[];
  /** When the sheet was found complete; null while it is not. */
  validatedAt: string | null;
}

export interface DerivedRights {
  entries: RightsEntry[];
  status: RightsStatus;
}

type Column = 'master' | 'writer' | 'publisher';

/**
 * Per-collaborator view of a sheet: one entry for everyone named anywhere in it (including
 * sub-publishers and collecting parties, who get zero shares), in order of first appearance.
 */
export function deriveRights(sheet: SplitSheetInput, validatedAt: Date | string): DerivedRights {
  const validationErrors = validateSplitSheet(sheet);
  const totals = new Map<string, Record<Column, number>>();

  const add = (e: Shared | null | undefined, column: Column | null): void => {
    if (e === null || typeof e !== 'object' || !hasId(e)) return;
    let row = totals.get(e.collaboratorId);
    if (!row) totals.set(e.collaboratorId, (row = { master: 0, writer: 0, publisher: 0 }));
    if (column) row[column] += shareOf(e) ?? 0;
  };
  const addNested = (publishers: readonly PublisherEntry[] | undefined): void => {
    if (!Array.isArray(publishers)) return;
    for (const p of publishers) {
      if (p === null || typeof p !== 'object') continue;
      for (const sub of Array.isArray(p.subPublishers) ? p.subPublishers : []) add(sub, null);
      for (const c of Array.isArray(p.collectionSplits) ? p.collectionSplits : []) add(c, null);
      addNested(p.subPublishers);
    }
  };

  for (const e of Array.isArray(sheet.master) ? sheet.master : []) add(e, 'master');
  for (const e of Array.isArray(sheet.writers) ? sheet.writers : []) add(e, 'writer');
  for (const e of Array.isArray(sheet.publishers) ? sheet.publishers : []) add(e, 'publisher');
  addNested(sheet.publishers);

  const isComplete =
    validationErrors.length === 0 &&
    Array.isArray(sheet.master) &&
    sheet.master.length > 0 &&
    Array.isArray(sheet.writers) &&
    sheet.writers.length > 0;

  return {
    entries: [...totals].map(([collaboratorId, t]) => ({
      collaboratorId,
      masterShare: formatShare(t.master),
      writerShare: formatShare(t.writer),
      publisherShare: formatShare(t.publisher),
    })),
    status: {
      isComplete,
      validationErrors,
      validatedAt: isComplete ? (typeof validatedAt === 'string' ? validatedAt : validatedAt.toISOString()) : null,
    },
  };
}
