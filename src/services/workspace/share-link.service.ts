import type { WorkspaceRepositories } from '../../repositories/workspace/index.js';
import { crashPoint } from '../../crash-points.js';
import { nowIso } from '../../db/time.js';
import { uniqueViolation } from '../../db/unique-violation.js';
import type { Actor } from '../../domain/access.js';
import { uuidv7 } from '../../domain/ids.js';
import { notFound } from '../../errors.js';
import type { LinkStats, ShareLinkKind, ShareLinkRow } from '../../repositories/workspace/share-link.repository.js';
import { mintSecret } from '../credentials.js';
import { hashAccessCode } from './access-code-hash.js';
import { requireEntitlement } from '../entitlements.js';
import { scopeOf, type TrackFinder } from './scope.js';

export interface LinkView {
  link: ShareLinkRow;
  stats: LinkStats;
}

export interface LinkWithToken extends LinkView {
  token: string;
  sharePath: string;
}

export interface CreateLinkInput {
  name?: string | null;
  expiresAt?: string | null;
  allowDownload?: boolean;
  accessCode?: string | null;
}

const TOKEN_PREFIX: Record<ShareLinkKind, string> = { track: 'sl_', split_sheet: 'sr_' };
export const sharePathOf = (kind: ShareLinkKind, token: string) => (kind === 'track' ? `/s/${token}` : `/s/split/${token}`);

const EMPTY_STATS: LinkStats = { views: 0, plays: 0, downloads: 0, lastViewedAt: null };

/** Owner-side management of track share links and split-sheet review links. Tokens are shown once, stored hashed. */
export function createShareLinkService(deps: { repos: Pick<WorkspaceRepositories, 'shareLinks'>; findTrack: TrackFinder }) {
  const { findTrack } = deps;
  const links = deps.repos.shareLinks;

  async function withStats(rows: ShareLinkRow[]): Promise<LinkView[]> {
    const stats = await links.stats(rows.map((r) => r.id));
    return rows.map((link) => ({ link, stats: stats.get(link.id) ?? EMPTY_STATS }));
  }

  async function list(actor: Actor, trackId: string, kind: ShareLinkKind): Promise<LinkView[]> {
    const track = await findTrack(scopeOf(actor), trackId);
    return withStats(await links.listForTrack(track.id, kind));
  }

  /** Inserts with a fresh token; a (practically impossible) token collision is retried with another. */
  async function insertWithToken(build: (token: { plaintext: string; hash: string; displayPrefix: string }) => ShareLinkRow, kind: ShareLinkKind) {
    for (let attempt = 0; ; attempt++) {
      const secret = mintSecret(TOKEN_PREFIX[kind], 24);
      const row = build(secret);
      try {
        await links.insert(row);
        return { row, token: secret.plaintext };
      } catch (err) {
        if (!uniqueViolation(err) || attempt >= 2) throw err;
      }
    }
  }

  async function create(actor: Actor, trackId: string, kind: ShareLinkKind, input: CreateLinkInput): Promise<LinkWithToken> {
    if (kind === 'track') requireEntitlement(actor, 'tracks.share');
    const track = await findTrack(scopeOf(actor), trackId);
    const id = uuidv7();
    const now = nowIso();
    const codeHash = kind === 'track' && input.accessCode ? await hashAccessCode(input.accessCode) : null;
    const { row, token } = await insertWithToken(
      (secret) => ({
        id,
        tenantId: track.tenantId,
        trackId: track.id,
        kind,
        name: input.name ?? null,
        tokenHash: secret.hash,
        tokenPrefix: secret.displayPrefix,
        allowDownload: kind === 'track' && input.allowDownload ? 1 : 0,
        accessCodeHash: codeHash,
        failedAttempts: 0,
        lockedUntil: null,
        expiresAt: input.expiresAt ?? null,
        revokedAt: null,
        createdByUserId: actor.userId,
        createdAt: now,
        updatedAt: now,
      }),
      kind,
    );
    return { link: row, stats: EMPTY_STATS, token, sharePath: sharePathOf(kind, token) };
  }

  async function findLink(actor: Actor, trackId: string, kind: ShareLinkKind, linkId: string): Promise<ShareLinkRow> {
    const track = await findTrack(scopeOf(actor), trackId);
    const link = await links.find(track.id, kind, linkId);
    if (!link) throw notFound('share_link_not_found', 'Share link not found');
    return link;
  }

  /** A new token for the same link; the old one stops working at once. */
  async function reset(actor: Actor, trackId: string, linkId: string): Promise<LinkWithToken> {
    requireEntitlement(actor, 'tracks.share');
    const link = await findLink(actor, trackId, 'track', linkId);
    const secret = mintSecret(TOKEN_PREFIX.track, 24);
    const now = nowIso();
    if (!(await links.update(link.id, { tokenHash: secret.hash, tokenPrefix: secret.displayPrefix, updatedAt: now }))) {
      throw notFound('share_link_not_found', 'Share link not found');
    }
    crashPoint('share-link.reset.stored');
    const [view] = await withStats([{ ...link, tokenHash: secret.hash, tokenPrefix: secret.displayPrefix, updatedAt: now }]);
    return { ...view, token: secret.plaintext, sharePath: sharePathOf('track', secret.plaintext) };
  }

  async function revoke(actor: Actor, trackId: string, kind: ShareLinkKind, linkId: string): Promise<ShareLinkRow> {
    const link = await findLink(actor, trackId, kind, linkId);
    const now = nowIso();
    if (!(await links.update(link.id, { revokedAt: now, updatedAt: now }))) throw notFound('share_link_not_found', 'Share link not found');
    return { ...link, revokedAt: now, updatedAt: now };
  }

  return { list, create, reset, revoke };
}
export type ShareLinkService = ReturnType<typeof createShareLinkService>;
