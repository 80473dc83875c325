import { createHash, randomBytes } from 'node:crypto';

/** Secrets shown once and stored only as SHA-256 hashes: API keys (`ll_`) and share tokens. */
export function mintSecret(prefix: string, bytes = 24): { plaintext: string; hash: string; displayPrefix: string } {
  const plaintext = `${prefix}${randomBytes(bytes).toString('base64url')}`;
  return { plaintext, hash: sha256(plaintext), displayPrefix: plaintext.slice(0, prefix.length + 6) };
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
