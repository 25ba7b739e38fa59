import fc from 'fast-check';
import { csvCell, toCsv } from '../../../functions/core/csv.js';
import { ACTION_CSV_HEADER, actionsCsv } from '../../../functions/services/queries.js';
import { makeAction } from '../../fixtures/actions.js';
import { parseCsv } from '../../support/csv.js';

/** The guard's rule, restated: a formula starter first, or after blanks and full-width forms. */
const formulaLike = (cell: string) =>
  /^[\t\r]/.test(cell) ||
  /^[=+\-@]/.test(cell.normalize('NFKC').replace(/^[\s\u200B-\u200D\u2060\uFEFF]+/u, ''));

describe('csvCell', () => {
  it.each([
    ['plain', '"plain"'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['line\nfeed', '"line\nfeed"'],
    ['', '""'],
  ])('quotes every cell, %j as %j (RFC 4180)', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['=SUM(A1:A2)', `"'=SUM(A1:A2)"`],
    ['+1', `"'+1"`],
    ['-cmd', `"'-cmd"`],
    ['@import', `"'@import"`],
    ['\tTab', `"'\tTab"`],
    ['\rReturn', `"'\rReturn"`],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
  ])('prefixes the formula starter in %j with a quote', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['  =cmd|/C calc', `"'  =cmd|/C calc"`],
    ['\u00a0=1+1', `"'\u00a0=1+1"`],
    ['\n@SUM(A1)', `"'\n@SUM(A1)"`],
    ['\u200b+1', `"'\u200b+1"`],
    ['\uff1dcmd', `"'\uff1dcmd"`],
    ['\uff0b1', `"'\uff0b1"`],
    ['\uff0d1', `"'\uff0d1"`],
    ['\uff20x', `"'\uff20x"`],
    [' \u3000\uff1d1', `"' \u3000\uff1d1"`],
  ])('sees the formula behind leading blanks or a full-width starter in %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('leaves text with a formula character further in as it is', () => {
    expect([csvCell('a=b'), csvCell(' a-b'), csvCell('x\uff1d')]).toEqual([
      '"a=b"',
      '" a-b"',
      '"x\uff1d"',
    ]);
  });

  it('writes numbers and booleans as text and nothing for absent values', () => {
    expect([csvCell(3), csvCell(true), csvCell(undefined), csvCell(null)]).toEqual([
      '"3"',
      '"true"',
      '""',
      '""',
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
            rows.map((r) => r.map((cell) => (formulaLike(cell) ? `'${cell}` : cell))),
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

    const rows = parseCsv(actionsCsv(actions).replace(/^\uFEFF/, ''));

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
