import { describe, expect, it } from 'vitest';
import { UrlSigner } from './url-signer.js';

const PUBLIC = 'https://music.example.com';
const T0 = Date.UTC(2030, 0, 1);

function signer(now = () => T0, secret = 'a-long-enough-test-secret') {
  return new UrlSigner({ publicUrl: PUBLIC, secret, now });
}

function parse(url: string) {
  const u = new URL(url);
  return { path: u.pathname, query: Object.fromEntries(u.searchParams) as Record<string, string> };
}

const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

describe('UrlSigner', () => {
  it('builds the documented URL shapes', () => {
    const s = signer();
    const put = s.signPut('t/a/b.wav', { expiresInSec: 60, contentType: 'audio/wav', byteSize: 1234 });
    const p = parse(put.url);
    expect(p.path).toBe('/storage/t/a/b.wav');
    expect(p.query).toMatchObject({ m: 'PUT', exp: String(T0 / 1000 + 60), ct: 'audio/wav', len: '1234' });
    expect(p.query.sig).toMatch(/^[0-9a-f]{64}$/);
    expect(put.expiresAt.getTime()).toBe(T0 + 60_000);

    const get = parse(s.signGet('t/a/b.wav', { expiresInSec: 30, downloadName: 'B side.wav' }));
    expect(get.query).toMatchObject({ m: 'GET', exp: String(T0 / 1000 + 30), dn: 'B side.wav' });
    expect(get.query.ct).toBeUndefined();
  });

  it('verifies its own URLs and returns the grant', () => {
    const s = signer();
    const put = parse(s.signPut('k/x', { expiresInSec: 60, contentType: 'audio/flac', byteSize: 10 }).url);
    expect(s.verify('PUT', 'k/x', put.query)).toMatchObject({ method: 'PUT', key: 'k/x', contentType: 'audio/flac', byteSize: 10 });
    const get = parse(s.signGet('k/x', { expiresInSec: 60, downloadName: 'Ünïcode name.flac', contentType: 'audio/flac' }));
    expect(s.verify('GET', 'k/x', get.query)).toMatchObject({ downloadName: 'Ünïcode name.flac', contentType: 'audio/flac' });
  });

  describe('rejects a URL bent to anything it was not signed for', () => {
    const s = signer();
    const put = parse(s.signPut('k/x', { expiresInSec: 60, contentType: 'audio/flac', byteSize: 10 }).url).query;
    const get = parse(s.signGet('k/x', { expiresInSec: 60, downloadName: 'a.flac' })).query;
    const plainGet = parse(s.signGet('k/x', { expiresInSec: 60 })).query;
    const cases: Array<[string, 'GET' | 'PUT', string, Record<string, unknown>]> = [
      ['another key', 'PUT', 'k/y', put],
      ['a key prefix', 'PUT', 'k', put],
      ['PUT used as GET', 'GET', 'k/x', put],
      ['GET used as PUT', 'PUT', 'k/x', get],
      ['method param swapped', 'GET', 'k/x', { ...put, m: 'GET' }],
      ['content type', 'PUT', 'k/x', { ...put, ct: 'text/html' }],
      ['size', 'PUT', 'k/x', { ...put, len: '11' }],
      ['size removed', 'PUT', 'k/x', { ...put, len: undefined }],
      ['expiry extended', 'PUT', 'k/x', { ...put, exp: String(Number(put.exp) + 3600) }],
      ['signature flipped', 'PUT', 'k/x', { ...put, sig: flip(put.sig) }],
      ['signature truncated', 'PUT', 'k/x', { ...put, sig: put.sig.slice(0, 62) }],
      ['signature missing', 'PUT', 'k/x', { ...put, sig: undefined }],
      ['download name changed', 'GET', 'k/x', { ...get, dn: 'b.flac' }],
      ['download name removed', 'GET', 'k/x', { ...get, dn: undefined }],
      ['download name added', 'GET', 'k/x', { ...plainGet, dn: 'x.flac' }],
      ['content type added to GET', 'GET', 'k/x', { ...get, ct: 'text/html' }],
      ['repeated parameter', 'GET', 'k/x', { ...get, exp: [get.exp, get.exp] }],
      ['no query', 'GET', 'k/x', {}],
    ];
    it.each(cases)('%s', (_name, method, key, query) => {
      const q = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
      expect(() => s.verify(method, key, q)).toThrow(expect.objectContaining({ status: 403, code: 'signature_invalid' }));
    });
  });

  it('signs a maximum instead of an exact size, and keeps them apart', () => {
    const s = signer();
    const q = parse(s.signPut('k/x', { expiresInSec: 60, contentType: 'audio/wav', byteSize: 500, exactSize: false }).url).query;
    expect(q.max).toBe('500');
    expect(q.len).toBeUndefined();
    expect(s.verify('PUT', 'k/x', q)).toMatchObject({ maxSize: 500, byteSize: undefined });
    const bad = (query: Record<string, string>) => () => s.verify('PUT', 'k/x', query);
    expect(bad({ ...q, max: '501' })).toThrow(expect.objectContaining({ code: 'signature_invalid' }));
    expect(bad({ ...q, len: '500' })).toThrow(expect.objectContaining({ code: 'signature_invalid' }));
    const { max, ...withoutMax } = q;
    expect(bad({ ...withoutMax, len: max })).toThrow(expect.objectContaining({ code: 'signature_invalid' }));
  });

  it('does not accept URLs made with another secret', () => {
    const other = parse(signer(() => T0, 'another-secret-entirely').signGet('k/x', { expiresInSec: 60 })).query;
    expect(() => signer().verify('GET', 'k/x', other)).toThrow(expect.objectContaining({ code: 'signature_invalid' }));
  });

  it('expires', () => {
    let now = T0;
    const s = signer(() => now);
    const q = parse(s.signGet('k/x', { expiresInSec: 10 })).query;
    now = T0 + 9_999;
    expect(s.verify('GET', 'k/x', q).key).toBe('k/x');
    now = T0 + 10_000;
    expect(() => s.verify('GET', 'k/x', q)).toThrow(expect.objectContaining({ status: 403, code: 'url_expired' }));
  });

  it('validates what it is asked to sign', () => {
    const s = signer();
    expect(() => s.signGet('../x', { expiresInSec: 10 })).toThrow(expect.objectContaining({ code: 'invalid_key' }));
    expect(() => s.signGet('k', { expiresInSec: 0 })).toThrow(expect.objectContaining({ code: 'invalid_expiry' }));
    expect(() => s.signGet('k', { expiresInSec: 8 * 24 * 3600 })).toThrow(expect.objectContaining({ code: 'invalid_expiry' }));
    expect(() => s.signPut('k', { expiresInSec: 10, contentType: 'audio/wav\r\nX: y', byteSize: 1 })).toThrow(
      expect.objectContaining({ code: 'invalid_content_type' }),
    );
    expect(() => s.signPut('k', { expiresInSec: 10, contentType: 'audio/wav', byteSize: -1 })).toThrow(
      expect.objectContaining({ code: 'invalid_byte_size' }),
    );
    expect(() => new UrlSigner({ publicUrl: PUBLIC, secret: '' })).toThrow(/secret/);
    expect(() => new UrlSigner({ publicUrl: 'not a url', secret: 'x' })).toThrow(/publicUrl/);
  });

  it('keeps a path in the public URL and drops its trailing slash', () => {
    const s = new UrlSigner({ publicUrl: 'https://host.example/ledger/', secret: 's', now: () => T0 });
    expect(s.signGet('a/b', { expiresInSec: 5 })).toMatch(/^https:\/\/host\.example\/ledger\/storage\/a\/b\?m=GET&/);
  });
});
