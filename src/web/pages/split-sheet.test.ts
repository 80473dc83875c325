import { describe, expect, it } from 'vitest';
import type { SplitSheetViewModel } from '../view-models.js';
import { renderLinkUnavailablePage } from './link-unavailable.js';
import { formatPercent, formatValidatedAt, renderSplitSheetPage } from './split-sheet.js';

const model = (overrides: Partial<SplitSheetViewModel> = {}): SplitSheetViewModel => ({
  trackTitle: 'Night Drive',
  trackArtist: 'The Examples',
  address: '1 Example Street\nSpringfield',
  intendedUse: 'Sync licensing',
  master: [
    { name: 'Label A', percentage: 60 },
    { name: 'Artist B', percentage: 40 },
  ],
  writers: [
    { name: 'Writer One', pro: 'ASCAP', ipi: '00012345678', percentage: 33.33 },
    { name: 'Writer Two', pro: 'BMI', ipi: null, percentage: 33.33 },
    { name: 'Writer Three', percentage: 33.34 },
  ],
  publishers: [{ name: 'Pub Co', percentage: 100, subPublishers: [{ name: 'Sub Pub EU', percentage: 25 }] }],
  balanced: true,
  issues: [],
  validatedAt: '2025-03-12T14:03:00Z',
  ...overrides,
});

describe('renderSplitSheetPage', () => {
  it('lists every party with shares and totals', () => {
    const { html } = renderSplitSheetPage(model(), { nonce: 'N' });
    for (const text of ['Label A', 'Artist B', 'Writer One', 'ASCAP', '00012345678', 'Pub Co', 'Sub Pub EU', 'Sync licensing']) {
      expect(html).toContain(text);
    }
    expect(html).toContain('<td class="num">33.33%</td>');
    expect(html).toContain('<td class="num">25%</td>');
    // Three tables, each totalling exactly 100 despite float shares.
    expect(html.match(/<tfoot><tr><th scope="row">Total<\/th>(<td class="ids"><\/td>)*<td class="num">100%<\/td>/g)).toHaveLength(3);
  });

  it('shows a clear balanced badge and the validation time', () => {
    const { html } = renderSplitSheetPage(model(), { nonce: 'N' });
    expect(html).toContain('class="badge ok"');
    expect(html).toContain('<span>Balanced</span>');
    expect(html).toContain('<time datetime="2025-03-12T14:03:00Z">12 March 2025, 14:03 UTC</time>');
  });

  it('flags an unbalanced sheet, its issues and off totals', () => {
    const { html } = renderSplitSheetPage(
      model({ balanced: false, issues: ['Writer shares add up to 90%'], writers: [{ name: 'W', percentage: 90 }], validatedAt: null }),
      { nonce: 'N' },
    );
    expect(html).toContain('class="badge bad"');
    expect(html).toContain('Not balanced');
    expect(html).toContain('<li>Writer shares add up to 90%</li>');
    expect(html).toContain('<td class="num off">90%');
    expect(html).toContain('Not validated yet');
  });

  it('prints on one A4 page and runs no script', () => {
    const { html, csp } = renderSplitSheetPage(model(), { nonce: 'N' });
    expect(html).toContain('@page{size:A4;margin:12mm}');
    expect(html).toContain('@media print{');
    expect(html).not.toContain('<script');
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('escapes party names', () => {
    const { html } = renderSplitSheetPage(model({ master: [{ name: '<script>x</script>', percentage: 100 }] }), { nonce: 'N' });
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>x');
  });

  it('formats percentages and dates', () => {
    expect(formatPercent(12.3456)).toBe('12.35%');
    expect(formatPercent(Number.NaN)).toBe('—');
    expect(formatValidatedAt('not a date')).toBe('not a date');
    expect(formatValidatedAt(null)).toBeNull();
  });
});

describe('renderLinkUnavailablePage', () => {
  it('says the link is gone, without script and without framing', () => {
    const { html, csp } = renderLinkUnavailablePage({ publicUrl: 'https://music.example.com' }, { nonce: 'N' });
    expect(html).toContain('<h1>This link is no longer available</h1>');
    expect(html).toContain('<title>Link no longer available</title>');
    expect(html).toContain('href="https://music.example.com/"');
    expect(html).not.toContain('<script');
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
