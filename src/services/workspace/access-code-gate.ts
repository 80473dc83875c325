import { createHash, timingSafeEqual } from 'node:crypto';
import { lockSchedule, secondsLocked } from '../../domain/access-code-lockout.js';
import { AppError, forbidden } from '../../errors.js';
import type { ShareLinkRepository, ShareLinkRow } from '../../repositories/workspace/share-link.repository.js';
import { hashAccessCode, verifyAccessCode } from './access-code-hash.js';

export const accessCodeRequired = () => forbidden('access_code_required', 'This link needs its access code');

/**
 * The one place a share link's access code is checked (public API and share page). Every
 * presented code is counted against the link before it is compared, whoever sends it; past
 * the free attempts the link locks with a growing delay, and while locked no code is
 * compared at all, the right one included: 429 `access_code_locked` with Retry-After.
 *
 * A code this process has just verified is remembered for a few minutes (a digest of it and
 * the stored hash, in memory only), so a share page's parallel requests after unlocking are
 * not counted as guesses: without it they could reach the limit together and lock out the
 * visitor who knows the code. They still honour a lock.
 */
const VERIFIED_TTL_MS = 10 * 60_000;
const VERIFIED_MAX = 10_000;
export function createAccessCodeGate(deps: { links: Pick<ShareLinkRepository, 'reserveCodeAttempt' | 'clearCodeAttempts' | 'lockOf'>; now?: () => number }) {
  const { links } = deps;
  const now = deps.now ?? Date.now;
  const verified = new Map<string, { digest: Buffer; until: number }>();
  const digestOf = (link: ShareLinkRow, code: string) => createHash('sha256').update(`${link.id}\0${link.accessCodeHash}\0${code}`).digest();

  function recentlyVerified(link: ShareLinkRow, code: string): boolean {
    const entry = verified.get(link.id);
    if (!entry || entry.until < now()) return false;
    return timingSafeEqual(entry.digest, digestOf(link, code));
  }

  function remember(link: ShareLinkRow, code: string): void {
    verified.delete(link.id);
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(link.id, { digest: digestOf(link, code), until: now() + VERIFIED_TTL_MS });
  }

  async function locked(linkId: string): Promise<never> {
    const lock = await links.lockOf(linkId);
    const retryAfterSeconds = Math.max(1, secondsLocked(lock?.lockedUntil ?? null, now()));
    throw new AppError(429, 'access_code_locked', 'Too many wrong access codes; try again later', { details: { retryAfterSeconds } });
  }

  /** Resolves when the link has no code or `code` is right; a missing code is not counted as a guess. */
  async function check(link: ShareLinkRow, code: string | undefined | null): Promise<void> {
    if (!link.accessCodeHash) return;
    if (!code) throw accessCodeRequired();
    if (recentlyVerified(link, code)) {
      const lock = await links.lockOf(link.id);
      if (secondsLocked(lock?.lockedUntil ?? null, now()) > 0) return locked(link.id);
      return;
    }
    const t = now();
    const reserved = await links.reserveCodeAttempt(link.id, new Date(t).toISOString(), lockSchedule(t));
    if (!reserved) return locked(link.id);
    const result = await verifyAccessCode(link.accessCodeHash, code, link.id);
    if (!result.ok) throw accessCodeRequired();
    await links.clearCodeAttempts(link.id, result.needsRehash ? await hashAccessCode(code) : undefined);
    remember(link, code);
  }

  return { check };
}
export type AccessCodeGate = ReturnType<typeof createAccessCodeGate>;
