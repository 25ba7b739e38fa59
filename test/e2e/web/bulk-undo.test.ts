// Bulk undo on the page: an operator selects two completed actions of one type in History, undoes
// them together with a comment, sees how each went, and finds who undid it and why in the
// decision history, after the Completed event it reversed.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Action, AlertDetail, Entity } from '../../../functions/core/model.js';
import { eventually } from '../../support/eventually.js';
import { apiClient } from '../../support/runtime-process.js';
import { type OpenBrowser, openBrowser, screenshot, signIn } from './support/browser.js';
import { type RunningActionCenter, startActionCenter } from './support/runtime.js';

jest.setTimeout(120_000);

const OPERATOR = { user: 'ana@example.com', roles: ['SecurityAdmin', 'SearchAndPurge'] };
const NAMES = ['adware-a.exe', 'adware-b.exe'];
const COMMENT = 'Signed vendor tool, ticket SEC-77';

const file = (name: string): Entity => ({
  kind: 'file',
  id: `sha256:${name}`,
  verdict: 'malicious',
  deviceId: 'dev-web-09',
  displayName: name,
});

const ALERT: AlertDetail = {
  alertId: 'web-bulk-undo',
  title: 'Adware bundle on WEB-09',
  severity: 'medium',
  detectionSource: 'EDR',
  detectedAt: new Date().toISOString(),
  entities: NAMES.map(file),
};

let center: RunningActionCenter;
let chromium: OpenBrowser;
let completed: Action[];

beforeAll(async () => {
  [center, chromium] = await Promise.all([startActionCenter(), openBrowser()]);
  // Seeded through the API: two actions approved by someone else and remediated.
  await center.sendAlerts([ALERT]);
  const pending = await center.pendingActions(ALERT.alertId, NAMES.length);
  const seeder = apiClient(center.url, await center.token('seed@example.com', ['GlobalAdmin']));
  await seeder.post('/actions/decisions', {
    actionIds: pending.map((a) => a.id),
    decision: 'approve',
  });
  completed = await Promise.all(
    pending.map((a) =>
      eventually(
        async () => {
          const now = await center.action(a.id);
          return now.status === 'Completed' ? now : undefined;
        },
        { what: `${a.target.displayName} Completed`, timeoutMs: 30_000 },
      ),
    ),
  );
});

afterAll(async () => {
  await chromium?.close();
  await center?.close();
});

test('an operator undoes two completed actions at once in History and sees who and why in the decision history', async () => {
  // Prepare
  expect(completed.every((a) => a.undoable)).toBe(true);
  const page = await chromium.newPage();
  await page.setViewportSize({ width: 1440, height: 1200 });
  await signIn(page, center.url, await center.token(OPERATOR.user, OPERATOR.roles));
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('heading', { name: /Action history/ }).waitFor();

  // Act: select both, Undo 2 actions, with a comment.
  for (const name of NAMES) {
    await page.getByRole('checkbox', { name: `Select Quarantine file on ${name}` }).check();
  }
  await page.getByText('2 actions selected').waitFor();
  const undo = page.getByTestId('bulk-undo');
  await expect(undo.textContent()).resolves.toBe('Undo 2 actions');
  await undo.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Undo 2 actions: Quarantine file').waitFor();
  await expect(dialog.getByRole('listitem').allTextContents()).resolves.toEqual(NAMES);
  await dialog.getByLabel('Comment').fill(COMMENT);
  await dialog.getByRole('button', { name: 'Undo' }).click();

  // Assess: a toast counts them, the summary says how each went.
  await page.getByText(/^2 of 2 actions undone/).waitFor({ timeout: 30_000 });
  const summary = page.getByTestId('selection-summary');
  await summary.getByText('Undo sent for these actions; each row says how it went.').waitFor();
  for (const name of NAMES) {
    await summary
      .getByRole('row')
      .filter({ hasText: name })
      .filter({ hasText: 'Undone' })
      .waitFor();
  }
  await screenshot(page, 'bulk-undo');

  // Assess: the decision history keeps Completed and names who undid it and why.
  await page.getByRole('link', { name: `Details of Quarantine file on ${NAMES[0]}` }).click();
  const history = page.getByTestId('action-details').getByTestId('decision-history');
  const undone = history.getByRole('row').filter({ hasText: 'Undone' });
  await undone.waitFor();
  await expect(undone.textContent()).resolves.toContain(OPERATOR.user);
  await expect(undone.textContent()).resolves.toContain(COMMENT);
  await history.getByRole('row').filter({ hasText: 'Completed' }).waitFor();
  for (const action of completed) {
    await expect(center.action(action.id)).resolves.toMatchObject({
      status: 'Undone',
      undone: { by: OPERATOR.user, comment: COMMENT },
    });
  }
});
