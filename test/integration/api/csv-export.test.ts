// `GET /actions/export.csv` v2: a UTF-8 BOM, the v1 columns first and in their order, then the
// labels, the alert title and the undo; the formula guard on every new cell; a dated file name.
import { plus, T0 } from '../../fixtures/actions.js';
import type { Claims } from '../../support/api-events.js';
import { ApiHarness, ARA, as, READER } from '../../support/api-harness.js';
import { parseCsv } from '../../support/csv.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

const UNDO_TEST_MS = 15_000;

/** The v1 header, as scripts written against it read it. */
const V1_COLUMNS = [
  'id',
  'investigationId',
  'alertId',
  'type',
  'category',
  'targetKind',
  'targetId',
  'targetName',
  'deviceId',
  'mailbox',
  'clusterId',
  'messageCount',
  'severity',
  'source',
  'status',
  'decidedBy',
  'decidedAt',
  'automated',
  'comment',
  'duplicateOf',
  'resultOutcome',
  'resultDetail',
  'resultAt',
  'undoable',
  'createdAt',
  'updatedAt',
  'expiresAt',
];

/** An action Completed in an investigation of `title`, then undone by `by` with `comment`. */
async function undoneIn(title: string, by: Claims, comment: string) {
  const alertId = `alert-csv-${Math.random()}`;
  await api.investigation(alertId, { title });
  const action = await api.completed({ alertId });
  await api.post(`/actions/${action.id}/undo`, { claims: by, body: { comment } });
  await api.undosSettled();
  return action;
}

/** The export's rows as records by column name, the BOM taken off first. */
function recordsOf(text: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

describe('GET /actions/export.csv v2', () => {
  it('starts with the UTF-8 BOM bytes, then the v1 columns in their order, then the new ones', async () => {
    // Prepare
    const action = await api.pending();

    // Act
    const res = await api.get('/actions/export.csv', {
      claims: READER,
      query: { investigationId: action.investigationId },
    });

    // Assess
    expect([...Buffer.from(res.text, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header] = parseCsv(res.text.slice(1));
    expect(header?.slice(0, V1_COLUMNS.length)).toEqual(V1_COLUMNS);
    expect(header?.slice(V1_COLUMNS.length)).toEqual([
      'typeLabel',
      'categoryLabel',
      'severityLabel',
      'statusLabel',
      'sourceLabel',
      'alertTitle',
      'undoneBy',
      'undoneAt',
      'undoComment',
    ]);
  });

  it(
    'fills the labels, the alert title and who undid the action, when and why; arrows and ellipses survive',
    async () => {
      // Prepare
      const action = await undoneIn('Ransomware → LAPTOP-7 …', ARA, 'business app → restored …');

      // Act
      const res = await api.get('/actions/export.csv', {
        claims: READER,
        query: { tab: 'history', investigationId: action.investigationId },
      });

      // Assess
      expect(recordsOf(res.text)).toEqual([
        expect.objectContaining({
          id: action.id,
          type: 'quarantineFile',
          status: 'Undone',
          typeLabel: 'Quarantine file',
          categoryLabel: 'Endpoint',
          severityLabel: 'High',
          statusLabel: 'Undone',
          sourceLabel: 'Automated investigation',
          alertTitle: 'Ransomware → LAPTOP-7 …',
          undoneBy: 'responder@example.com',
          undoneAt: api.now.toISOString(),
          undoComment: 'business app → restored …',
        }),
      ]);
    },
    UNDO_TEST_MS,
  );

  it(
    'guards the new cells against formulas: alert title, who undid it and the undo comment',
    async () => {
      // Prepare
      const action = await undoneIn(
        '=HYPERLINK("http://evil")',
        as('-attacker@example.com', 'GlobalAdmin'),
        '@SUM(A1)',
      );

      // Act
      const res = await api.get('/actions/export.csv', {
        claims: READER,
        query: { tab: 'history', investigationId: action.investigationId },
      });

      // Assess
      expect(res.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(recordsOf(res.text)).toEqual([
        expect.objectContaining({
          alertTitle: `'=HYPERLINK("http://evil")`,
          undoneBy: "'-attacker@example.com",
          undoComment: "'@SUM(A1)",
        }),
      ]);
    },
    UNDO_TEST_MS,
  );

  it.each([
    ['pending', 'actions-pending-2026-11-01.csv'],
    ['history', 'actions-history-2026-11-01.csv'],
  ])('names the %s file with its tab and the day it was made', async (tab, filename) => {
    // Act
    const res = await api.get('/actions/export.csv', {
      claims: READER,
      query: { tab, investigationId: 'inv-0123456789abcdef0123' },
    });

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${filename}"`);
  });
});
