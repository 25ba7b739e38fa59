// Two-person approval on the page: an action needing two approvals shows "1 of 2 approvals" and who
// after the first, and runs once a second person approves; an action proposed by hand on the
// investigation page waits for another person.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { type OpenBrowser, openBrowser, signIn } from './support/browser.js';
import { dropperAlert, type RunningActionCenter, startActionCenter } from './support/runtime.js';

jest.setTimeout(120_000);

let center: RunningActionCenter;
let chromium: OpenBrowser;

beforeAll(async () => {
  [center, chromium] = await Promise.all([
    startActionCenter({ APPROVALS_REQUIRED: JSON.stringify({ quarantineFile: 2 }) }),
    openBrowser(),
  ]);
});

afterAll(async () => {
  await chromium?.close();
  await center?.close();
});

async function openAs(user: string): Promise<Page> {
  const page = await chromium.newPage();
  await signIn(page, center.url, await center.token(user, ['GlobalAdmin']));
  return page;
}

async function approveFromDetails(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByRole('link', { name: `Details of Quarantine file on ${name}` }).click();
  const panel = page.getByTestId('action-details');
  await panel.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
}

test('an action needing two approvals shows the first and who, and runs after the second person', async () => {
  // Prepare
  await center.sendAlerts([dropperAlert('web-quorum-1', 'stealer.exe')]);
  const [action] = await center.pendingActions('web-quorum-1', 1);
  expect(action?.approvals).toEqual({ required: 2, received: [] });
  const ana = await openAs('ana@example.com');

  // Act: the first approval.
  await approveFromDetails(ana, 'stealer.exe');

  // Assess
  await ana.getByText('Approval recorded: Quarantine file on stealer.exe').waitFor();
  const approvals = ana.getByTestId('action-details').getByTestId('details-approvals');
  await expect(approvals.textContent()).resolves.toBe('1 of 2 approvals: ana@example.com');
  await expect(
    ana.getByTestId('action-details').getByTestId('details-status').textContent(),
  ).resolves.toBe('Pending');

  // Act: a second person approves.
  const ben = await openAs('ben@example.com');
  await approveFromDetails(ben, 'stealer.exe');

  // Assess
  await ben.getByText('Approved: Quarantine file on stealer.exe').waitFor();
  for (let i = 0; i < 60; i += 1) {
    if ((await center.action(action?.id ?? '')).status === 'Completed') break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await expect(center.action(action?.id ?? '')).resolves.toMatchObject({ status: 'Completed' });
});

test('an action proposed on the investigation page waits for another person', async () => {
  // Prepare
  await center.sendAlerts([dropperAlert('web-manual-1', 'loader.exe')]);
  const [seen] = await center.pendingActions('web-manual-1', 1);
  const ana = await openAs('ana@example.com');
  await ana.goto(`${center.url}/#/investigations/${seen?.investigationId}`);
  const form = ana.getByTestId('propose-action');
  await form.waitFor();

  // Act: the default action (Isolate device) on a device.
  await form.getByLabel('Target identifier').fill('dev-fin-1');
  await form.getByLabel('Target name').fill('fin-laptop-01');
  await form.getByRole('button', { name: 'Propose' }).click();

  // Assess
  const outcome = form.getByTestId('propose-outcome');
  await outcome.waitFor();
  await expect(outcome.textContent()).resolves.toMatch(
    /^Proposed act-.+another person's approval\.$/,
  );
  await ana
    .getByTestId('investigation-actions')
    .getByRole('row')
    .filter({ hasText: 'fin-laptop-01' })
    .waitFor();
});

test('a device in the evidence opens Propose action filled in with it, to isolate it', async () => {
  // Prepare
  await center.sendAlerts([dropperAlert('web-manual-2', 'packer.exe')]);
  const [seen] = await center.pendingActions('web-manual-2', 1);
  const deviceId = seen?.target.deviceId as string;
  const ana = await openAs('ana@example.com');
  await ana.goto(`${center.url}/#/investigations/${seen?.investigationId}`);
  const evidence = ana.getByTestId('evidence-table');
  await evidence.waitFor();

  // Act
  await evidence
    .getByRole('button', { name: `Propose action on ${deviceId}` })
    .first()
    .click();
  const form = ana.getByTestId('propose-action');
  const target = form.getByLabel('Target identifier');

  // Assess: filled in, and proposing it lists an Isolate device action on that device.
  await expect(target.inputValue()).resolves.toBe(deviceId);
  await expect(form.getByTestId('propose-type').textContent()).resolves.toContain('Isolate device');
  await form.getByRole('button', { name: 'Propose' }).click();
  await form.getByTestId('propose-outcome').waitFor();
  await ana
    .getByTestId('investigation-actions')
    .getByRole('row')
    .filter({ hasText: 'Isolate device' })
    .waitFor();
});
