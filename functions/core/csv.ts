// A CSV writer: RFC 4180 quoting, and no cell a spreadsheet would run as a formula.

/** Characters that make a spreadsheet read a cell as a formula (CSV/formula injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

type CsvValue = string | number | boolean | null | undefined;

/** One cell: formula starters are prefixed with `'`, then the text is quoted if RFC 4180 needs it. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole document: a header row, then one row per record, CRLF line breaks (RFC 4180). */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
