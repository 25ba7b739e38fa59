// The Action Center page in Chromium against the embedded runtime: what an operator and a reader
// see and do. Every step goes through the UI (clicks, typing); the API is only used to seed alerts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { AlertDetail, Entity } from '../../../functions/core/model.js';
import { demoAlerts } from '../../../infra/local/demo-alerts.js';
import { type OpenBrowser, openBrowser, screenshot, signIn } from './support/browser.js';
import { type RunningActionCenter, startActionCenter } from './support/runtime.js';

jest.setTimeout(120_000);

const OPERATOR = { user: 'ana@example.com', roles: ['SecurityAdmin', 'SearchAndPurge'] };
const READER = { user: 'rui@example.com', roles: ['SecurityReader'] };
const XSS_TITLE = 'Phishing from <img src=x onerror=alert(1)> a "trusted" sender';

const file = (name: string, verdict: Entity['verdict'] = 'malicious'): Entity => ({
  kind: 'file',
  id: `sha256:${name}`,
  verdict,
  deviceId: 'dev-web-07',
  displayName: name,
});

const alert = (alertId: string, title: string, entities: Entity[]): AlertDetail => ({
  alertId,
  title,
  severity: 'high',
  detectionSource: 'EDR',
  detectedAt: new Date().toISOString(),
  entities,
});

const ALERTS = {
  bulk: alert('web-bulk', 'Fake invoices dropped on WEB-07', [
    file('invoice-0412.pdf.exe'),
    file('invoice-0413.pdf.exe'),
    file('invoice-0414.pdf.exe'),
  ]),
  csv: alert('web-csv', 'Macro documents from an external sender', [
    file('quarterly-report.xlsm', 'suspicious'),
    file('quarterly-report-v2.xlsm', 'suspicious'),
  ]),
  undo: alert('web-undo', 'Adware installer on WEB-07', [file('toolbar-setup.exe')]),
  xss: alert('web-xss', XSS_TITLE, [file('reset-password.html', 'suspicious')]),
  approve: alert('web-approve', 'Credential stealer dropped on WEB-07', [
    file('payroll-dropper.exe'),
  ]),
};

let center: RunningActionCenter;
let chromium: OpenBrowser;
/** Every browser dialog opened, e.g. by an alert() from injected markup: none is expected. */
const dialogs: string[] = [];

beforeAll(async () => {
  [center, chromium] = await Promise.all([startActionCenter(), openBrowser()]);
  const { approve, ...others } = ALERTS;
  await center.sendAlerts([...demoAlerts(), ...Object.values(others)]);
  await Promise.all(
    Object.values(others).map((a) => center.pendingActions(a.alertId, a.entities.length)),
  );
  // Sent last, on its own (Pending lists critical first, then the oldest first, so it no longer tops
  // the list in the screenshots).
  await center.sendAlerts([approve]);
  await center.pendingActions(approve.alertId, 1);
});

afterAll(async () => {
  await chromium?.close();
  await center?.close();
});

/** A new tab signed in as `who`. */
async function openAs(
  who: { user: string; roles: string[] },
  viewport = { width: 1440, height: 900 },
): Promise<Page> {
  const page = await chromium.newPage();
  await page.setViewportSize(viewport);
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await signIn(page, center.url, await center.token(who.user, who.roles));
  return page;
}

/** The row of an action in the Pending or History table (not in the details panel's tables). */
const row = (page: Page, target: string) =>
  page
    .getByRole('table', { name: /^(Pending|History) actions$/ })
    .getByRole('row')
    .filter({ hasText: target });
const detailsPanel = (page: Page) => page.getByTestId('action-details');

test('an operator approves a pending action from the details panel and sees it Completed in History', async () => {
  // Tall enough for the screenshots to show the whole details panel.
  const page = await openAs(OPERATOR, { width: 1440, height: 1200 });
  await row(page, 'payroll-dropper.exe').waitFor();
  await screenshot(page, 'pending-tab');

  await page
    .getByRole('link', { name: 'Details of Quarantine file on payroll-dropper.exe' })
    .click();
  const panel = detailsPanel(page);
  await panel.getByText('Credential stealer dropped on WEB-07').waitFor();
  await expect(panel.getByText('Malicious').count()).resolves.toBeGreaterThan(0);
  await expect(panel.getByTestId('expiry-countdown').textContent()).resolves.toMatch(
    /^Expires in 6d 23h/,
  );
  await expect(panel.getByTestId('investigation-link').textContent()).resolves.toMatch(/^inv-/);
  await screenshot(page, 'action-details');

  await panel.getByRole('button', { name: 'Approve' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Comment').fill('Confirmed dropper, ticket SEC-1042');
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await page.getByText('Approved: Quarantine file on payroll-dropper.exe').waitFor();
  await row(page, 'payroll-dropper.exe').waitFor({ state: 'detached' });

  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByRole('heading', { name: /Action history/ }).waitFor();
  // The page polls while the remediation runs; Completed arrives without a manual refresh.
  await row(page, 'payroll-dropper.exe')
    .filter({ hasText: 'Completed' })
    .waitFor({ timeout: 30_000 });
  await expect(row(page, 'payroll-dropper.exe').textContent()).resolves.toContain(OPERATOR.user);

  await page
    .getByRole('link', { name: 'Details of Quarantine file on payroll-dropper.exe' })
    .click();
  await expect(panel.getByTestId('details-status').textContent()).resolves.toBe('Completed');
  await panel.getByText('Confirmed dropper, ticket SEC-1042').waitFor();
  await panel.getByRole('button', { name: 'Undo' }).waitFor();

  await panel.getByTestId('investigation-link').click();
  await page.getByRole('heading', { name: 'Credential stealer dropped on WEB-07' }).waitFor();
  await page.getByTestId('investigation-status').waitFor();
  const actions = page.getByTestId('investigation-actions');
  await actions.getByRole('row').filter({ hasText: 'Completed' }).waitFor();
  await expect(page.getByTestId('evidence-table').textContent()).resolves.toContain('Malicious');
  await expect(page.getByTestId('timeline').textContent()).resolves.toContain('Action Approved');
  await expect(page.getByTestId('pending-time').textContent()).resolves.toMatch(/\d+s|\d+m/);
  await screenshot(page, 'investigation');
});

test('a reader sees the actions but no decision buttons', async () => {
  const page = await openAs(READER);
  await row(page, 'invoice-0412.pdf.exe').waitFor();
  await page.getByRole('button', { name: 'Read-only' }).waitFor();
  await expect(page.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
  await expect(page.getByRole('button', { name: 'Reject' }).count()).resolves.toBe(0);

  // From the keyboard: the target's link opens the details.
  await page
    .getByRole('link', { name: 'Details of Quarantine file on invoice-0412.pdf.exe' })
    .focus();
  await page.keyboard.press('Enter');
  const panel = detailsPanel(page);
  await panel.getByTestId('read-only-note').waitFor();
  await expect(panel.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
  await expect(panel.getByRole('button', { name: 'Reject' }).count()).resolves.toBe(0);

  // Refreshing the list, or reloading the page, keeps the selected action open.
  const heading = panel.getByRole('heading', { name: 'Quarantine file: invoice-0412.pdf.exe' });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await heading.waitFor();
  await page.reload();
  await heading.waitFor();
  await expect(
    page
      .getByRole('checkbox', { name: 'Select Quarantine file on invoice-0412.pdf.exe' })
      .isChecked(),
  ).resolves.toBe(true);
});

test('an operator approves three actions of the same type at once', async () => {
  const page = await openAs(OPERATOR);
  const filter = page.getByRole('combobox', { name: 'Filter actions' });
  await filter.fill('invoice-04');
  await filter.press('Enter');
  await row(page, 'reset-password.html').waitFor({ state: 'detached' });
  for (const name of ['invoice-0412.pdf.exe', 'invoice-0413.pdf.exe', 'invoice-0414.pdf.exe']) {
    await page.getByRole('checkbox', { name: `Select Quarantine file on ${name}` }).check();
  }
  await page.getByText('3 actions selected').waitFor();
  await page.getByTestId('bulk-approve').click();

  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('listitem').allTextContents()).resolves.toEqual([
    'invoice-0412.pdf.exe',
    'invoice-0413.pdf.exe',
    'invoice-0414.pdf.exe',
  ]);
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await page.getByText('3 of 3 actions approved').waitFor();
  for (const name of ['invoice-0412.pdf.exe', 'invoice-0413.pdf.exe', 'invoice-0414.pdf.exe']) {
    await row(page, name).waitFor({ state: 'detached' });
  }
  const actions = await center.pendingActions(ALERTS.bulk.alertId, 0);
  expect(actions).toHaveLength(0);
});

test('the CSV export downloads the rows the filters show', async () => {
  const page = await openAs(OPERATOR);
  const filter = page.getByRole('combobox', { name: 'Filter actions' });
  await filter.fill('quarterly-report');
  await filter.press('Enter');
  // The list reloads with the filter: still-pending actions that do not match go away.
  await row(page, 'reset-password.html').waitFor({ state: 'detached' });
  await row(page, 'quarterly-report.xlsm').waitFor();
  const shown = await page.getByRole('link', { name: /^Details of / }).allTextContents();
  expect(shown.sort()).toEqual(['quarterly-report-v2.xlsm', 'quarterly-report.xlsm']);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^actions-pending-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csv = bytes.toString('utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines).toHaveLength(1 + shown.length);
  for (const name of shown) expect(csv).toContain(name);
  expect(csv).not.toContain('payroll-dropper.exe');
});

test('an operator undoes a completed action from History', async () => {
  const page = await openAs(OPERATOR);
  await page.getByRole('link', { name: 'Details of Quarantine file on toolbar-setup.exe' }).click();
  const panel = detailsPanel(page);
  await panel.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await page.getByText('Approved: Quarantine file on toolbar-setup.exe').waitFor();

  await page.getByRole('tab', { name: 'History' }).click();
  await row(page, 'toolbar-setup.exe')
    .filter({ hasText: 'Completed' })
    .waitFor({ timeout: 30_000 });
  await page.getByRole('link', { name: 'Details of Quarantine file on toolbar-setup.exe' }).click();
  await panel.getByRole('button', { name: 'Undo' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Comment').fill('False positive: signed vendor installer');
  await dialog.getByRole('button', { name: 'Undo' }).click();

  await page.getByText('Undone: Quarantine file on toolbar-setup.exe').waitFor();
  await expect(panel.getByTestId('details-status').textContent()).resolves.toBe('Undone');
  await row(page, 'toolbar-setup.exe').filter({ hasText: 'Undone' }).waitFor();
  await expect(panel.getByRole('button', { name: 'Undo' }).count()).resolves.toBe(0);
});

test('markup in an alert title is shown as text, never run', async () => {
  const [action] = await center.pendingActions(ALERTS.xss.alertId, 1);
  const page = await openAs(OPERATOR);

  await page
    .getByRole('link', { name: 'Details of Quarantine file on reset-password.html' })
    .click();
  await expect(detailsPanel(page).getByTestId('details-alert-title').textContent()).resolves.toBe(
    XSS_TITLE,
  );

  await page.goto(`${center.url}/#/investigations/${action?.investigationId}`);
  await page.getByRole('heading', { name: XSS_TITLE }).waitFor();
  await expect(page.getByTestId('alert-title').textContent()).resolves.toBe(XSS_TITLE);
  await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
  expect(dialogs).toEqual([]);
});
