import { describe, expect, it } from 'vitest';
import { embedElementSnippet, embedSnippet, embedUrl } from './embed-snippet.js';

describe('embed snippets', () => {
  const input = { publicUrl: 'https://music.example.com/', kind: 'track' as const, id: 'trk 1', key: 'k&"1' };

  it('builds the embed URL with encoded id and key', () => {
    expect(embedUrl(input)).toBe('https://music.example.com/embed/track/trk%201?key=k%26%221');
    expect(embedUrl({ ...input, key: null })).toBe('https://music.example.com/embed/track/trk%201');
  });

  it('returns an escaped, lazy iframe sized for the kind', () => {
    const snippet = embedSnippet(input);
    expect(snippet).toMatch(/^<iframe src="https:\/\/music\.example\.com\/embed\/track\/trk%201\?key=k%26%221"/);
    expect(snippet).toContain('height="152"');
    expect(snippet).toContain('loading="lazy"');
    expect(embedSnippet({ ...input, kind: 'collection', title: '<b>"EP"</b>' })).toContain(
      'title="&lt;b&gt;&quot;EP&quot;&lt;/b&gt;" width="100%" height="400"',
    );
  });

  it('offers the web component form loading embed.js', () => {
    const snippet = embedElementSnippet(input);
    expect(snippet).toContain('<script src="https://music.example.com/assets/web/embed.js" async></script>');
    expect(snippet).toContain('<ledgerline-player src="https://music.example.com/embed/track/trk%201?key=k%26%221"></ledgerline-player>');
  });
});
