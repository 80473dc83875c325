import { describe, expect, it } from 'vitest';
import { renderEmbedPlayer } from './embed-player.js';
import { TEST_MANIFEST, clientData, embedModel } from '../../../test/helpers/web-page-models.js';
import { contrastRatio, embedThemeCss, parseColor, readableOn } from './theme.js';

const render = (overrides = {}) => renderEmbedPlayer(embedModel(overrides), { manifest: TEST_MANIFEST, nonce: 'N' });

describe('renderEmbedPlayer', () => {
  it('renders a collection with playlist, previous/next and the embed bundle', () => {
    const { html } = render();
    expect(html).toContain('<p class="context">Summer EP · The Examples</p>');
    expect(html).toContain('<h1 id="track-title">One</h1>');
    expect(html).toContain('id="prev"');
    expect(html).toContain('id="next"');
    expect(html.match(/data-index="/g)).toHaveLength(2);
    expect(html).toContain('<span class="d">1:02:05</span>');
    expect(html).toContain('src="/assets/web/embed-player-TESTHASH.js"');
    expect(clientData(html)).toMatchObject({ kind: 'collection', tracks: [{ id: 't1' }, { id: 't2' }] });
  });

  it('renders a single track without playlist controls', () => {
    const { html } = render({ kind: 'track', tracks: [embedModel().tracks[0]] });
    expect(html).not.toContain('id="playlist"');
    expect(html).not.toContain('id="next"');
    expect(html).toContain('id="play"');
  });

  it('themes with the configured colours, switching background with the colour scheme', () => {
    const { html } = render();
    expect(html).toContain('--accent:#e4572e');
    expect(html).toContain('--bg:#fffaf5');
    expect(html).toMatch(/@media \(prefers-color-scheme:dark\)\{:root\{--bg:#1b1410/);
  });

  it('drops colour values that could inject CSS', () => {
    const { html } = render({ color: 'red;}</style><script>alert(1)</script>', colorLight: 'url(x)' });
    expect(html).not.toContain('alert(1)');
    expect(html).toContain('--accent:#5a3ff0');
    expect(html).toContain('--bg:#ffffff');
  });

  it('allows framing anywhere and media from the stream origins only', () => {
    const { csp } = render();
    expect(csp).toContain('frame-ancestors *');
    expect(csp).toContain("media-src 'self' https://cdn.example.com");
    expect(csp).toContain("img-src 'self' data: https://img.example.com");
  });

  it('does not pass unsafe stream URLs to the browser', () => {
    const t = { ...embedModel().tracks[0], streamUrl: 'javascript:alert(1)' };
    const { html } = render({ tracks: [t] });
    expect(html).not.toContain('javascript:');
  });
});

describe('theme colours', () => {
  it('parses hex and rgb() and rejects the rest', () => {
    expect(parseColor('#abc')).toEqual({ r: 170, g: 187, b: 204 });
    expect(parseColor('#E4572E')).toEqual({ r: 228, g: 87, b: 46 });
    expect(parseColor('rgb(1, 2, 3)')).toEqual({ r: 1, g: 2, b: 3 });
    expect(parseColor('rgb(300, 2, 3)')).toBeNull();
    expect(parseColor('red')).toBeNull();
  });

  it('picks readable text for light and dark backgrounds', () => {
    for (const bg of ['#ffffff', '#fffaf5', '#000000', '#1b1410', '#e4572e', '#5a3ff0', '#ffd400']) {
      const rgb = parseColor(bg)!;
      expect(contrastRatio(rgb, readableOn(rgb))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('falls back to the default theme for missing colours', () => {
    expect(embedThemeCss({ color: '', colorLight: '', colorDark: '' })).toContain('--accent:#5a3ff0');
  });
});
