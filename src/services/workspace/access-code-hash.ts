import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { sha256 } from '../credentials.js';

/**
 * Share-link access codes are short secrets, so they are stored with a slow, salted hash:
 * `scrypt$N$r$p$<salt>$<hash>` (base64url). Links made before this kept
 * `sha256("<linkId>:<code>")` in hex; those still verify, and `needsRehash` tells the caller
 * to store the scrypt form once the right code is presented.
 */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_CODE_LENGTH = 200;

const derive = (code: string, salt: Buffer, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(code.normalize('NFC'), salt, KEY_LENGTH, { ...opts, maxmem: 256 * (opts.N ?? N) * (opts.r ?? R) + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );

export async function hashAccessCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(code, salt, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export interface CodeCheck {
  ok: boolean;
  /** Stored in an older form: hash the code again with `hashAccessCode` and store that. */
  needsRehash: boolean;
}

/** Compares in constant time; a stored value it cannot read never matches. */
export async function verifyAccessCode(stored: string, code: string, linkId: string): Promise<CodeCheck> {
  if (code.length === 0 || code.length > MAX_CODE_LENGTH) return { ok: false, needsRehash: false };
  const parts = stored.split('$');
  if (parts.length === 6 && parts[0] === 'scrypt') {
    const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
    const cost = { N: Number(n), r: Number(r), p: Number(p) };
    // Parameters come from our own rows, but bound them so a bad row cannot eat the memory.
    if (![cost.N, cost.r, cost.p].every(Number.isSafeInteger) || cost.N > 2 ** 20 || cost.r > 32 || cost.p > 16) return { ok: false, needsRehash: false };
    const expected = Buffer.from(hash, 'base64url');
    const actual = await derive(code, Buffer.from(salt, 'base64url'), cost);
    const ok = expected.length === actual.length && timingSafeEqual(expected, actual);
    return { ok, needsRehash: ok && (cost.N !== N || cost.r !== R || cost.p !== P) };
  }
  if (/^[0-9a-f]{64}$/.test(stored)) {
    const expected = Buffer.from(stored, 'hex');
    const ok = timingSafeEqual(expected, Buffer.from(sha256(`${linkId}:${code}`), 'hex'));
    return { ok, needsRehash: ok };
  }
  return { ok: false, needsRehash: false };
}
