// A CSV writer: RFC 4180 quoting, and no cell a spreadsheet would run as a formula.

/** Characters that make a spreadsheet read a cell as a formula (CSV/formula injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Invisible characters trimStart() keeps but a spreadsheet skips before reading a formula. */
const LEADING_INVISIBLE = /^[\s\u200B-\u200D\u2060\uFEFF]+/u;

type CsvValue = string | number | boolean | null | undefined;

/** Whether a spreadsheet could read the text as a formula, after leading blanks and full-width forms (＝ ＋ － ＠). */
function looksLikeFormula(text: string): boolean {
  if (FORMULA_START.test(text)) return true;
  return FORMULA_START.test(text.normalize('NFKC').replace(LEADING_INVISIBLE, ''));
}

/** One cell: formula starters are prefixed with `'`, then the text is always quoted (RFC 4180). */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '""';
  let text = String(value);
  if (looksLikeFormula(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/** The UTF-8 byte order mark: without it Excel reads a CSV file as the local code page (→ and … break). */
export const UTF8_BOM = '\uFEFF';

/**
 * A whole document: a header row, then one row per record, CRLF line breaks (RFC 4180); `bom`
 * starts it with the UTF-8 byte order mark, for spreadsheets.
 */
export function toCsv(
  header: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
  options: { bom?: boolean } = {},
): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${options.bom ? UTF8_BOM : ''}${lines.join('\r\n')}\r\n`;
}
