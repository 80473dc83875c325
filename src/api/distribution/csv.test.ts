import { describe, expect, it } from 'vitest';
import { allPages, csvCell, csvLines } from './csv.js';

describe('catalog CSV', () => {
  it('quotes what needs quoting and nothing else', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(['Pop', 'Rock'])).toBe('Pop; Rock');
    expect(csvCell({ spotify: 'x' })).toBe('"{""spotify"":""x""}"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
  });

  it('writes a header, then every page in order', async () => {
    const data = Array.from({ length: 5 }, (_, i) => ({ id: `id${i}`, name: `n,${i}`, extra: 'x' }));
    const pages = await allPages(async (page, size) => data.slice((page - 1) * size, page * size), 2);
    let text = '';
    for await (const chunk of csvLines(['id', 'name'], pages)) text += chunk;
    expect(text.split('\r\n')).toEqual(['id,name', 'id0,"n,0"', 'id1,"n,1"', 'id2,"n,2"', 'id3,"n,3"', 'id4,"n,4"', '']);
  });
});
