import { describe, expect, it } from 'vitest';
import { buildCsp, createNonce, originOf } from './csp.js';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as [string, string[]];
    }),
  );
}

describe('buildCsp', () => {
  it('denies by default and opens only what the page uses', () => {
    const csp = directives(
      buildCsp({
        nonce: 'abc',
        scripts: true,
        mediaOrigins: ['https://bucket.s3.example.com/some/key?X-Amz=1', 'https://bucket.s3.example.com'],
        imageOrigins: ['https://img.example.com/a.jpg'],
        frameAncestors: 'none',
      }),
    );
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'nonce-abc'"]);
    expect(csp.get('style-src')).toEqual(["'nonce-abc'"]);
    expect(csp.get('media-src')).toEqual(["'self'", 'https://bucket.s3.example.com']);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'https://img.example.com']);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
  });

  it('blocks scripts for script-free pages and allows any framer for embeds', () => {
    const csp = directives(buildCsp({ nonce: 'n', scripts: false, frameAncestors: '*' }));
    expect(csp.get('script-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(['*']);
  });

  it('never lets stored values inject directives', () => {
    const csp = buildCsp({
      nonce: 'n',
      scripts: true,
      mediaOrigins: ["https://ok.example; script-src 'unsafe-inline'", 'javascript:alert(1)', '/relative'],
      frameAncestors: 'none',
    });
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('javascript');
    expect(directives(csp).get('media-src')).toEqual(["'self'"]);
  });

  it('makes distinct base64 nonces', () => {
    const a = createNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(createNonce()).not.toBe(a);
  });

  it('reduces URLs to origins', () => {
    expect(originOf('http://localhost:3000/media/x.mp3')).toBe('http://localhost:3000');
    expect(originOf('/media/x.mp3')).toBeNull();
    expect(originOf('ftp://x.example/a')).toBeNull();
  });
});
