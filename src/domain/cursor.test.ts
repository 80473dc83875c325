import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from './cursor.js';

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('encodeCursor', () => {
  it('produces base64url JSON without padding', () => {
    const cursor = encodeCursor({ createdAt: '2024-05-01T00:00:00.000Z', id: 'abc' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).toBe('{"createdAt":"2024-05-01T00:00:00.000Z","id":"abc"}');
  });

  it('uses the URL-safe alphabet where standard base64 would need + and /', () => {
    // "~~~" and "???" encode to "+" and "/" in standard base64.
    const cursor = encodeCursor({ a: '~~~???' });
    expect(cursor).not.toMatch(/[+/=]/);
    expect(decodeCursor(cursor)).toEqual({ a: '~~~???' });
  });

  it.each([
    [{ id: 'x' }],
    [{ position: 3, id: 'x' }],
    [{ score: -1.5e-7, n: 0 }],
    [{ title: 'Café — 東京 🎵', id: '01' }],
    [{ empty: '' }],
    [{}],
    [{ 'key with spaces': 'v', '': 1 }],
  ])('round-trips %j', (values) => {
    expect(decodeCursor(encodeCursor(values))).toEqual(values);
  });

  it('preserves key order', () => {
    expect(Object.keys(decodeCursor(encodeCursor({ b: 1, a: 2, c: 3 }))!)).toEqual(['b', 'a', 'c']);
  });

  it.each([
    [{ n: Number.NaN }],
    [{ n: Number.POSITIVE_INFINITY }],
    [{ n: null }],
    [{ n: true }],
    [{ n: { nested: 1 } }],
    [{ n: [1] }],
    [{ n: undefined }],
  ])('refuses values JSON would corrupt or that are not keys: %j', (values) => {
    expect(() => encodeCursor(values as never)).toThrow(TypeError);
  });

  it('refuses non-objects and prototype keys', () => {
    expect(() => encodeCursor(null as never)).toThrow(TypeError);
    expect(() => encodeCursor([1] as never)).toThrow(TypeError);
    expect(() => encodeCursor(JSON.parse('{"__proto__":"x"}'))).toThrow(TypeError);
  });

  it('refuses values that would exceed the cursor length limit', () => {
    expect(() => encodeCursor({ t: 'x'.repeat(MAX_CURSOR_LENGTH) })).toThrow(RangeError);
    expect(encodeCursor({ t: 'x'.repeat(3000) }).length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
  });
});

describe('decodeCursor', () => {
  it.each([
    ['not a string', 42],
    ['null', null],
    ['undefined', undefined],
    ['empty', ''],
    ['illegal characters', 'abc$def'],
    ['standard-base64 characters', b64url('{"a":"~~~???"}').replace(/-/g, '+').replace(/_/g, '/')],
    ['padding', b64url('{"a":1}') + '='],
    ['impossible length', 'abcde'],
    // "e30" is {}; "e31" decodes to the same bytes with a stray trailing bit set.
    ['non-canonical trailing bits', 'e31'],
    ['not JSON', b64url('hello')],
    ['truncated JSON', b64url('{"a":1')],
    ['JSON array', b64url('[1,2]')],
    ['JSON string', b64url('"abc"')],
    ['JSON number', b64url('12')],
    ['JSON null', b64url('null')],
    ['null value', b64url('{"a":null}')],
    ['boolean value', b64url('{"a":true}')],
    ['nested object', b64url('{"a":{"b":1}}')],
    ['array value', b64url('{"a":[1]}')],
    ['overflowing number', b64url('{"a":1e400}')],
    ['prototype key', b64url('{"__proto__":"x"}')],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]).toString('base64url')],
    ['over the length limit', 'A'.repeat(MAX_CURSOR_LENGTH + 4)],
  ])('returns null for %s', (_label, input) => {
    expect(decodeCursor(input)).toBeNull();
  });

  it('does not pollute Object.prototype', () => {
    decodeCursor(b64url('{"__proto__":{"polluted":"yes"}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws on arbitrary strings', () => {
    let seed = 7;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=%$ ';
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const len = i % 40;
      for (let j = 0; j < len; j++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        s += alphabet[seed % alphabet.length];
      }
      expect(() => decodeCursor(s)).not.toThrow();
    }
  });

  it('reads a cursor written by a standard base64url encoder', () => {
    expect(decodeCursor(b64url('{"id":"x","n":2}'))).toEqual({ id: 'x', n: 2 });
  });

  describe('with a shape', () => {
    const shape = { createdAt: 'string', position: 'number' } as const;
    const good = encodeCursor({ createdAt: '2024-01-01', position: 4 });

    it('returns the typed values when keys and types match', () => {
      const decoded = decodeCursor(good, shape);
      expect(decoded).toEqual({ createdAt: '2024-01-01', position: 4 });
      if (decoded) {
        const typed: { createdAt: string; position: number } = decoded;
        expect(typed.position + 1).toBe(5);
      }
    });

    it.each([
      ['a missing key', { createdAt: '2024-01-01' }],
      ['an extra key', { createdAt: '2024-01-01', position: 4, id: 'x' }],
      ['a wrong type', { createdAt: '2024-01-01', position: '4' }],
      ['a differently named key', { createdAt: '2024-01-01', pos: 4 }],
    ])('returns null for %s', (_label, values) => {
      expect(decodeCursor(encodeCursor(values), shape)).toBeNull();
    });

    it('still returns null for garbage', () => {
      expect(decodeCursor('%%%', shape)).toBeNull();
    });
  });
});
