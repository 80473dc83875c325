import { describe, expect, it } from 'vitest';
import { absoluteUrl, escapeHtml, html, joinUrl, jsonForScript, raw, safeUrl } from './html.js';

describe('html template', () => {
  it('escapes interpolated text and attribute values', () => {
    const title = `<script>alert("x")</script> & 'quotes'`;
    const out = html`<h1 title="${title}">${title}</h1>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe(
      '<h1 title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</h1>',
    );
  });

  it('inserts nested templates and raw markup verbatim, arrays joined, nullish dropped', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`${inner}${raw('<hr>')}${[html`<li>1</li>`, '<2>']}${null}${undefined}${false}`.value).toBe(
      '<b>&lt;i&gt;</b><hr><li>1</li>&lt;2&gt;',
    );
  });

  it('keeps numbers and zero', () => {
    expect(html`${0}/${12.5}`.value).toBe('0/12.5');
  });

  it('escapes backticks too', () => {
    expect(escapeHtml('`')).toBe('&#96;');
  });
});

describe('jsonForScript', () => {
  it('cannot be closed by </script> or comments inside strings and round-trips', () => {
    const value = { t: '</script><script>alert(1)</script>', c: '<!--', amp: 'a&b', ls: '\u2028' };
    const out = jsonForScript(value).value;
    expect(out).not.toMatch(/<\/script/i);
    expect(out).not.toContain('<!--');
    expect(out).not.toContain('\u2028');
    expect(JSON.parse(out)).toEqual(value);
  });
});

describe('URL utilities', () => {
  it('allows only http(s) and same-origin paths', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,hi')).toBeNull();
    expect(safeUrl('//evil.example/x')).toBeNull();
    expect(safeUrl('/media/a.jpg')).toBe('/media/a.jpg');
    expect(safeUrl('https://cdn.example.com/a b.jpg')).toBe('https://cdn.example.com/a%20b.jpg');
    expect(safeUrl(null)).toBeNull();
  });

  it('resolves relative artwork against the public URL and joins paths', () => {
    expect(absoluteUrl('/art/1.jpg', 'https://music.example.com')).toBe('https://music.example.com/art/1.jpg');
    expect(absoluteUrl('javascript:x', 'https://music.example.com')).toBeNull();
    expect(joinUrl('https://h.example/', '/s/abc')).toBe('https://h.example/s/abc');
    expect(joinUrl('https://h.example/base', 's/abc')).toBe('https://h.example/base/s/abc');
  });
});
