import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../../helpers/app.js';
import { toneBytes } from '../../helpers/audio.js';
import { BASE_LOCK_SECONDS, FREE_ATTEMPTS } from '../../../src/domain/access-code-lockout.js';
import { sha256 } from '../../../src/services/credentials.js';
import { BASE, client, createTrack, type Client } from './workspace-api.js';

const CODE = 'harbour42';

describe.each(dialects())('workspace share-link access codes (%s)', (dialect) => {
  let t: TestApp;
  let alice: Client;
  let trackId: string;
  let ip = 0;
  /** Each guess comes from a new address: the per-IP rate limit is not what stops them. */
  const guess = (token: string, code: string | null, path = '') =>
    t.app.inject({
      method: 'GET',
      url: `${BASE}/public/track-links/${token}${path}`,
      headers: code === null ? {} : { 'x-access-code': code },
      remoteAddress: `198.51.100.${(ip++ % 250) + 1}`,
    });
  const row = async (id: string) => (await t.container.db.selectFrom('workspaceShareLinks').selectAll().where('id', '=', id).executeTakeFirst())!;
  const gatedLink = async (accessCode = CODE) => {
    const res = await alice.post(`/tracks/${trackId}/share-links`, { accessCode });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; token: string };
  };

  beforeAll(async () => {
    t = await createTestApp({ dialect, env: { PUBLIC_RATE_LIMIT: '1000' } });
    alice = client(t, await t.token({ user: 'alice', role: 'member' }));
    trackId = await createTrack(t, alice, { name: 'Gated.wav', bytes: toneBytes({ seconds: 1 }) });
  });
  afterAll(async () => t?.close());

  it('refuses codes shorter than six characters with a validation error', async () => {
    for (const accessCode of ['abc', 'abcd', '12345']) {
      const res = await alice.post(`/tracks/${trackId}/share-links`, { accessCode });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'validation_error', issues: [expect.objectContaining({ path: 'body.accessCode' })] });
    }
    expect((await alice.post(`/tracks/${trackId}/share-links`, { accessCode: '123456' })).statusCode).toBe(201);
  });

  it('stores the code as salted scrypt, never the code itself', async () => {
    const a = await gatedLink();
    const b = await gatedLink();
    const [ra, rb] = [await row(a.id), await row(b.id)];
    expect(ra.accessCodeHash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(ra.accessCodeHash).not.toBe(rb.accessCodeHash);
    expect(JSON.stringify([ra, rb])).not.toContain(CODE);
    expect(ra).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    expect((await guess(a.token, CODE)).statusCode).toBe(200);
  });

  it('does not count a visitor who knows the code as guessing when the page asks many things at once', async () => {
    const link = await gatedLink();
    expect((await guess(link.token, 'not-the-code')).statusCode).toBe(403);
    expect((await guess(link.token, CODE)).statusCode).toBe(200);
    const burst = await Promise.all(Array.from({ length: FREE_ATTEMPTS * 3 }, () => guess(link.token, CODE)));
    expect(burst.map((r) => r.statusCode)).toEqual(burst.map(() => 200));
    expect(await row(link.id)).toMatchObject({ lockedUntil: null });
    // A wrong code is still a guess, and a lock still holds for everyone.
    for (let i = 0; i < FREE_ATTEMPTS; i++) await guess(link.token, `wrong-${i}`);
    expect((await guess(link.token, CODE)).statusCode).toBe(429);
  });

  it('locks the link after repeated wrong codes, whichever addresses they come from, until the lock ends', async () => {
    const link = await gatedLink();
    // A missing code is not a guess.
    expect((await guess(link.token, null)).statusCode).toBe(403);
    for (let i = 0; i < FREE_ATTEMPTS; i++) {
      const res = await guess(link.token, `wrong-${i}`);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: 'access_code_required' });
    }
    for (const path of ['', '/playback-url', '/download-url']) {
      const locked = await guess(link.token, CODE, path);
      expect(locked.statusCode).toBe(429);
      expect(locked.json()).toMatchObject({ error: 'access_code_locked', retryAfterSeconds: expect.any(Number) });
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(BASE_LOCK_SECONDS - 5);
      expect(retryAfter).toBeLessThanOrEqual(BASE_LOCK_SECONDS);
      expect(locked.body).not.toContain('Gated');
    }
    const played = await t.app.inject({ method: 'POST', url: `${BASE}/public/track-links/${link.token}/events`, headers: { 'x-access-code': CODE }, payload: { type: 'play' }, remoteAddress: '192.0.2.50' });
    expect(played.statusCode).toBe(429);
    await expect(t.container.modules.workspace.publicLinks.sharePage(link.token, { accessCode: CODE })).rejects.toMatchObject({ status: 429, code: 'access_code_locked' });
    // Guesses made while locked are not counted and do not lengthen the lock.
    expect(await row(link.id)).toMatchObject({ failedAttempts: FREE_ATTEMPTS });

    // The lock runs out: one more wrong guess locks again, for twice as long.
    const past = new Date(Date.now() - 1000).toISOString();
    await t.container.db.updateTable('workspaceShareLinks').set({ lockedUntil: past }).where('id', '=', link.id).execute();
    expect((await guess(link.token, 'wrong-again')).statusCode).toBe(403);
    const longer = await guess(link.token, CODE);
    expect(longer.statusCode).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(2 * BASE_LOCK_SECONDS - 5);

    // After that lock, the right code opens the link and the count starts again.
    await t.container.db.updateTable('workspaceShareLinks').set({ lockedUntil: past }).where('id', '=', link.id).execute();
    const open = await guess(link.token, CODE);
    expect(open.statusCode).toBe(200);
    expect(open.json().track.title).toBe('Gated');
    expect(await row(link.id)).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    for (let i = 0; i < FREE_ATTEMPTS - 1; i++) expect((await guess(link.token, `wrong-${i}`)).statusCode).toBe(403);
    expect((await guess(link.token, CODE)).statusCode).toBe(200);
  });

  it('lets no more than the free guesses through when they arrive at once', async () => {
    const link = await gatedLink();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => guess(link.token, `burst-${i}`)));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 403)).toHaveLength(FREE_ATTEMPTS);
    expect(codes.filter((c) => c === 429)).toHaveLength(20 - FREE_ATTEMPTS);
    expect(await row(link.id)).toMatchObject({ failedAttempts: FREE_ATTEMPTS });
  });

  it('still opens links whose code was stored by the older SHA-256 scheme, and rehashes it', async () => {
    const link = await gatedLink();
    await t.container.db.updateTable('workspaceShareLinks').set({ accessCodeHash: sha256(`${link.id}:tide-4321`) }).where('id', '=', link.id).execute();
    expect((await guess(link.token, 'tide-4322')).statusCode).toBe(403);
    expect((await guess(link.token, 'tide-4321')).statusCode).toBe(200);
    const after = await row(link.id);
    expect(after.accessCodeHash).toMatch(/^scrypt\$/);
    expect(after.failedAttempts).toBe(0);
    expect((await guess(link.token, 'tide-4321')).statusCode).toBe(200);
  });
});
