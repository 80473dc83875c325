import { describe, expect, it } from 'vitest';
import { ISO_639_1_CODES, ISO_639_1_SET } from './iso-639-1.js';

describe('ISO_639_1_CODES', () => {
  it('holds all 184 codes, unique, sorted, lowercase two-letter', () => {
    expect(ISO_639_1_CODES).toHaveLength(184);
    expect(ISO_639_1_SET.size).toBe(184);
    expect([...ISO_639_1_CODES].sort()).toEqual([...ISO_639_1_CODES]);
    for (const code of ISO_639_1_CODES) expect(code).toMatch(/^[a-z]{2}$/);
  });

  it('names a language for every code (cross-checked against the runtime CLDR data)', () => {
    const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
    for (const code of ISO_639_1_CODES) expect(names.of(code), code).not.toBe(code);
  });

  it('leaves out withdrawn codes', () => {
    for (const code of ['iw', 'in', 'ji', 'mo', 'sh', 'jw']) expect(ISO_639_1_SET.has(code)).toBe(false);
  });

  it('includes codes at both ends of the alphabet', () => {
    for (const code of ['aa', 'ab', 'en', 'zh', 'zu']) expect(ISO_639_1_SET.has(code)).toBe(true);
  });
});
