import { describe, expect, it } from 'vitest';
import { sha256 } from '../credentials.js';
import { hashAccessCode, verifyAccessCode } from './access-code-hash.js';

describe('access code hashing', () => {
  it('stores scrypt with its parameters and a fresh salt each time', async () => {
    const a = await hashAccessCode('harbour42');
    const b = await hashAccessCode('harbour42');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('harbour42');
  });

  it('verifies the right code only', async () => {
    const stored = await hashAccessCode('harbour42');
    expect(await verifyAccessCode(stored, 'harbour42', 'link-1')).toEqual({ ok: true, needsRehash: false });
    expect((await verifyAccessCode(stored, 'harbour43', 'link-1')).ok).toBe(false);
    expect((await verifyAccessCode(stored, '', 'link-1')).ok).toBe(false);
    expect((await verifyAccessCode(stored, 'x'.repeat(201), 'link-1')).ok).toBe(false);
  });

  it('still verifies codes stored by the older SHA-256 scheme, and asks for a rehash', async () => {
    const legacy = sha256('link-1:tide-4321');
    expect(await verifyAccessCode(legacy, 'tide-4321', 'link-1')).toEqual({ ok: true, needsRehash: true });
    expect((await verifyAccessCode(legacy, 'tide-4321', 'link-2')).ok).toBe(false);
    expect((await verifyAccessCode(legacy, 'tide-4322', 'link-1')).ok).toBe(false);
  });

  it('never matches a value it cannot read', async () => {
    for (const bad of ['', 'plain', 'scrypt$x$8$1$aa$bb', 'scrypt$4294967296$8$1$aa$bb', 'scrypt$16384$8$1$aa']) {
      expect((await verifyAccessCode(bad, 'plain', 'link-1')).ok).toBe(false);
    }
  });
});
