import { describe, expect, it } from 'vitest';
import { renderTrackSharePage } from './track-share.js';
import { TEST_MANIFEST, clientData, metaContent, shareModel } from '../../../test/helpers/web-page-models.js';

const render = (overrides = {}) => renderTrackSharePage(shareModel(overrides), { manifest: TEST_MANIFEST, nonce: 'NONCE123' });

describe('renderTrackSharePage', () => {
  it('renders title, artist, artwork, player and the hashed bundle with nonce and integrity', () => {
    const { html } = render();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<h1 id="title">Night Drive</h1>');
    expect(html).toContain('>The Examples</p>');
    expect(html).toContain('src="https://img.example.com/art/1.jpg"');
    expect(html).toContain('role="slider"');
    expect(html).toContain('aria-valuemax="215"');
    expect(html).toContain('<span id="total">3:35</span>');
    expect(html).toContain('<script src="/assets/web/share-TESTHASH.js" nonce="NONCE123" integrity="sha384-share" defer></script>');
    expect(html).toContain('<style nonce="NONCE123">');
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });

  it('escapes a hostile title everywhere it appears', () => {
    const evil = '</script><script>alert(1)</script>';
    const { html } = render({ title: evil, artist: '<img src=x onerror=alert(1)>' });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // Exactly two real script elements: the data block and the bundle.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(clientData(html)).toMatchObject({ token: 'tok_123' });
  });

  it('sets Open Graph and Twitter tags for link previews', () => {
    const { html } = render();
    expect(metaContent(html, 'og:title')).toBe('Night Drive — The Examples');
    expect(metaContent(html, 'og:type')).toBe('music.song');
    expect(metaContent(html, 'og:url')).toBe('https://music.example.com/s/tok_123');
    expect(metaContent(html, 'og:image')).toBe('https://img.example.com/art/1.jpg');
    expect(metaContent(html, 'music:duration')).toBe('215');
    expect(metaContent(html, 'twitter:card')).toBe('summary_large_image');
    expect(metaContent(html, 'twitter:title')).toBe('Night Drive — The Examples');
  });

  it('makes relative artwork absolute for previews and omits og:image without artwork', () => {
    expect(metaContent(render({ artworkUrl: '/art/2.jpg' }).html, 'og:image')).toBe('https://music.example.com/art/2.jpg');
    const bare = render({ artworkUrl: null }).html;
    expect(metaContent(bare, 'og:image')).toBeNull();
    expect(metaContent(bare, 'twitter:card')).toBe('summary');
    expect(bare).not.toContain('id="artwork"');
    expect(bare).toMatch(/<div id="artwork-placeholder" class="art-placeholder">/);
  });

  it('shows the download button only when downloads are allowed', () => {
    expect(render({ allowDownload: true }).html).toContain('id="download"');
    const none = render({ allowDownload: false });
    expect(none.html).not.toContain('id="download"');
    expect(clientData(none.html)).toMatchObject({ allowDownload: false });
  });

  it('renders the access-code form instead of the player and withholds track details when gated', () => {
    const { html, csp } = render({ requiresAccessCode: true, imageOrigins: ['https://img.example.com'] });
    expect(html).toContain('<form id="gate"');
    expect(html).toContain('<input id="access-code"');
    expect(html).toMatch(/<section id="player"[^>]* hidden>/);
    expect(html).not.toContain('Night Drive');
    expect(html).not.toContain('The Examples');
    expect(html).not.toContain('art/1.jpg');
    expect(html).not.toContain('id="download"');
    expect(metaContent(html, 'og:title')).toBe('Protected track');
    expect(metaContent(html, 'og:image')).toBeNull();
    expect(clientData(html)).toEqual({
      token: 'tok_123',
      requiresAccessCode: true,
      allowDownload: false,
      durationMs: null,
      peaks: null,
      api: shareModel().api,
    });
    expect(csp).toContain('img-src \'self\' data: https://img.example.com');
  });

  it('does not render the gate for open links', () => {
    expect(render().html).not.toContain('id="gate"');
  });

  it('builds a CSP for the nonce, audio origin and artwork origin, refusing framing', () => {
    const { csp } = render();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-NONCE123'");
    expect(csp).toContain("style-src 'nonce-NONCE123'");
    expect(csp).toContain("media-src 'self' https://bucket.s3.example.com");
    expect(csp).toContain("img-src 'self' data: https://img.example.com");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('uses a fresh nonce per render when none is given', () => {
    const a = renderTrackSharePage(shareModel(), { manifest: TEST_MANIFEST });
    const b = renderTrackSharePage(shareModel(), { manifest: TEST_MANIFEST });
    const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonceOf(a.csp)).toBeTruthy();
    expect(nonceOf(a.csp)).not.toBe(nonceOf(b.csp));
    expect(a.html).toContain(`nonce="${nonceOf(a.csp)}"`);
  });

  it('puts no inline style attributes or event handlers in the markup (CSP would block them)', () => {
    for (const gated of [false, true]) {
      const { html } = render({ requiresAccessCode: gated });
      expect(html).not.toMatch(/\sstyle="/);
      expect(html).not.toMatch(/\son[a-z]+="/);
    }
  });
});
