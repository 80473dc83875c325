/**
 * CSV for catalog exports (RFC 4180: comma-separated, CRLF, fields quoted when they hold a
 * comma, quote or line break). Text a spreadsheet would run as a formula (=, +, -, @, tab, CR
 * first) is prefixed with a quote, so an export opened in Excel or Sheets cannot execute
 * something a client stored.
 */
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (Array.isArray(value)) text = value.map((v) => (v && typeof v === 'object' ? JSON.stringify(v) : String(v))).join('; ');
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (cells: unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** Rows of `columns` taken from each object, header first, page after page. */
export async function* csvLines<T extends Record<string, unknown>>(columns: readonly string[], pages: AsyncIterable<T[]>): AsyncGenerator<string> {
  yield csvRow([...columns]);
  for await (const page of pages) {
    let chunk = '';
    for (const item of page) chunk += csvRow(columns.map((c) => item[c]));
    if (chunk) yield chunk;
  }
}

/**
 * Walks a paged list to its end. The first page is read before this resolves, so a failing
 * query is answered as an error instead of cutting a download short.
 */
export async function allPages<T>(fetchPage: (page: number, size: number) => Promise<T[]>, size = 500): Promise<AsyncIterable<T[]>> {
  const first = await fetchPage(1, size);
  return (async function* () {
    yield first;
    if (first.length < size) return;
    for (let page = 2; ; page++) {
      const rows = await fetchPage(page, size);
      yield rows;
      if (rows.length < size) return;
    }
  })();
}
