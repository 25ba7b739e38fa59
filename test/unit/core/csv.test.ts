import fc from 'fast-check';
import { csvCell, toCsv } from '../../../functions/core/csv.js';
import { ACTION_CSV_HEADER, actionsCsv } from '../../../functions/services/queries.js';
import { makeAction } from '../../fixtures/actions.js';

/** An RFC 4180 reader, to check what the writer produced reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += ch;
  }
  return rows;
}

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['line\nfeed', '"line\nfeed"'],
    ['', ''],
  ])('quotes %j per RFC 4180 as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1', "'+1"],
    ['-cmd', "'-cmd"],
    ['@import', "'@import"],
    ['\tTab', "'\tTab"],
    ['\rReturn', `"'\rReturn"`],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
  ])('prefixes the formula starter in %j with a quote', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers and booleans as text and nothing for absent values', () => {
    expect([csvCell(3), csvCell(true), csvCell(undefined), csvCell(null)]).toEqual([
      '3',
      'true',
      '',
      '',
    ]);
  });
});

describe('toCsv', () => {
  it('writes a header row and CRLF-terminated rows that read back as the cells', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { maxLength: 10 }),
        (rows) => {
          const parsed = parseCsv(toCsv(['a', 'b'], rows));

          expect(parsed[0]).toEqual(['a', 'b']);
          expect(parsed.slice(1)).toEqual(
            rows.map((r) => r.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell))),
          );
        },
      ),
    );
  });
});

describe('actionsCsv', () => {
  it('has one row per action under the header, with formula-like target names neutralised', () => {
    const names = ['=cmd|/C calc', '+A1', '-1', '@x', 'safe.exe'];
    const actions = names.map((displayName, i) =>
      makeAction({ target: { kind: 'file', id: `f${i}`, displayName } }),
    );

    const rows = parseCsv(actionsCsv(actions));

    expect(rows[0]).toEqual([...ACTION_CSV_HEADER]);
    const nameColumn = ACTION_CSV_HEADER.indexOf('targetName');
    expect(rows.slice(1).map((r) => r[nameColumn])).toEqual([
      "'=cmd|/C calc",
      "'+A1",
      "'-1",
      "'@x",
      'safe.exe',
    ]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(actions.map((a) => a.id));
  });
});
