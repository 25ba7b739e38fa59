// The details panel says why an action was proposed (evidence, alert, source, the original alert,
// approvals, undo); the investigations list counts time pending as the investigation page does;
// the Pending list keeps its Expires column in view at 1024 px and becomes cards at 390 px. One
// runtime for the file: a GuardDuty finding (with a console link) and two alerts of our own.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { apiClient, eventually, tokenFor } from '../../support/runtime-process.js';
import { sourceFixture } from '../../support/source-runtime.js';
import { type OpenBrowser, openBrowser, screenshot, signIn } from './support/browser.js';
import { dropperAlert, type RunningActionCenter, startActionCenter } from './support/runtime.js';

jest.setTimeout(120_000);

const OPERATOR = { user: 'ana@example.com', roles: ['SecurityAdmin', 'SearchAndPurge'] };
const GUARDDUTY = sourceFixture('guardduty', 'ec2-malicious-file-composite.json');
const GUARDDUTY_ALERT = `guardduty:${(GUARDDUTY.detail as { id: string }).id}`;
const FINDING_LINK =
  'https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?search=id%3D0ac0e3c0e3a1f8b8e0f0b0a0c0d0e0f1';

let center: RunningActionCenter;
let chromium: OpenBrowser;
let admin: ReturnType<typeof apiClient>;

beforeAll(async () => {
  [center, chromium] = await Promise.all([startActionCenter(), openBrowser()]);
  admin = apiClient(center.url, await tokenFor('harness@example.com', ['GlobalAdmin']));
  const producer = apiClient(center.url, await tokenFor('producer@example.com', ['SecurityAdmin']));
  const put = await producer.post('/events', {
    Entries: [
      {
        Source: GUARDDUTY.source,
        DetailType: GUARDDUTY['detail-type'],
        Detail: JSON.stringify(GUARDDUTY.detail),
      },
    ],
  });
  expect(put.json?.FailedEntryCount).toBe(0);
  await center.sendAlerts([
    dropperAlert('layout-undo', 'toolbar-setup.exe'),
    dropperAlert('layout-wait', 'a-rather-long-dropper-name-from-the-finance-share.exe'),
  ]);
  await Promise.all([
    center.pendingActions(GUARDDUTY_ALERT, 1),
    center.pendingActions('layout-undo', 1),
    center.pendingActions('layout-wait', 1),
  ]);
});

afterAll(async () => {
  await chromium?.close();
  await center?.close();
});

async function openAs(viewport: { width: number; height: number }, hash = ''): Promise<Page> {
  const page = await chromium.newPage();
  await page.setViewportSize(viewport);
  await signIn(page, center.url, await center.token(OPERATOR.user, OPERATOR.roles));
  if (hash) await page.goto(`${center.url}/${hash}`);
  return page;
}

test('the details panel says why the action was proposed, with the original alert as a safe link', async () => {
  // Prepare: the finding's quarantine action, waiting for an operator.
  const [action] = (await center.pendingActions(GUARDDUTY_ALERT, 1)).filter(
    (a) => a.type === 'isolateDevice',
  );
  expect(action).toBeDefined();
  if (!action) return;

  // Act
  const page = await openAs({ width: 1440, height: 1100 }, `#/actions/${action.id}`);
  const why = page.getByTestId('action-details').getByTestId('why-proposed');
  await why.getByTestId('details-alert-title').waitFor();

  // Assess: evidence, alert, severity, source, the original alert and the alert id.
  await expect(why.getByTestId('why-evidence').textContent()).resolves.toBe(
    'Device: ssh-22-open (i-05746eb48123455e0)',
  );
  await expect(why.getByText('Suspicious', { exact: true }).count()).resolves.toBeGreaterThan(0);
  await expect(why.getByTestId('details-alert-title').textContent()).resolves.toBe(
    'A malicious file has been detected on an EC2 instance.',
  );
  await expect(why.getByText('High', { exact: true }).count()).resolves.toBeGreaterThan(0);
  await expect(why.getByTestId('why-detection-source').textContent()).resolves.toBe(
    'Amazon GuardDuty',
  );
  const original = why.getByTestId('why-original-alert');
  await expect(original.getAttribute('href')).resolves.toBe(FINDING_LINK);
  await expect(original.getAttribute('target')).resolves.toBe('_blank');
  await expect(original.getAttribute('rel')).resolves.toBe('noopener noreferrer');
  const alertLink = why.getByTestId('why-alert-link');
  await expect(alertLink.textContent()).resolves.toBe(GUARDDUTY_ALERT);
  await expect(alertLink.getAttribute('href')).resolves.toBe(
    `#/investigations/${action.investigationId}`,
  );
  await screenshot(page, 'why-proposed');
  await page.close();
});

test('an undone action shows who asked for the undo, when, and their comment', async () => {
  // Prepare: approved, completed, then undone with a comment, through the API.
  const [action] = await center.pendingActions('layout-undo', 1);
  if (!action) throw new Error('no action');
  expect((await admin.post(`/actions/${action.id}/approve`, {})).status).toBe(200);
  await eventually(
    async () => ((await center.action(action.id)).status === 'Completed' ? true : undefined),
    'the approved action completed',
  );
  const undo = await admin.post(`/actions/${action.id}/undo`, { comment: 'False positive, INC-7' });
  expect(undo.status).toBeLessThan(300);

  // Act
  const page = await openAs({ width: 1440, height: 1000 }, `#/actions/${action.id}`);
  const why = page.getByTestId('action-details').getByTestId('why-proposed');

  // Assess
  await expect(why.getByTestId('why-undo').textContent()).resolves.toMatch(
    /^Asked by harness@example\.com, /,
  );
  await expect(why.getByTestId('why-undo-comment').textContent()).resolves.toBe(
    'False positive, INC-7',
  );
  await page.close();
});

test('the investigations list counts time pending as the investigation page does', async () => {
  // Prepare: an action that has waited a few seconds.
  const [action] = await center.pendingActions('layout-wait', 1);
  if (!action) throw new Error('no action');
  await new Promise((resolve) => setTimeout(resolve, 3_000));

  // Act
  const page = await openAs({ width: 1440, height: 900 }, '#/investigations');
  const listed = page
    .getByRole('row')
    .filter({ has: page.locator(`a[href="#/investigations/${action.investigationId}"]`) })
    .getByTestId('list-pending-time');
  await listed.waitFor();
  const listedText = await listed.textContent();
  await page.goto(`${center.url}/#/investigations/${action.investigationId}`);
  const shown = await page.getByTestId('pending-time').textContent();

  // Assess: neither is 0s, and they agree within the seconds between the two reads.
  const seconds = (text: string | null) => Number(/^(\d+)s$/.exec(text ?? '')?.[1] ?? Number.NaN);
  const listedSeconds = seconds(listedText);
  expect(listedSeconds).toBeGreaterThanOrEqual(3);
  expect(seconds(shown) - listedSeconds).toBeGreaterThanOrEqual(0);
  expect(seconds(shown) - listedSeconds).toBeLessThanOrEqual(3);
  await page.close();
});

test('at 1024 px the Pending table shows its Expires column without scrolling sideways', async () => {
  const page = await openAs({ width: 1024, height: 768 });
  const expires = page
    .getByRole('table', { name: 'Pending actions' })
    .getByRole('columnheader', { name: /Expires/ });
  await expires.waitFor();
  await screenshot(page, 'pending-1024');
  const box = await expires.boundingBox();
  expect(box).not.toBeNull();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1024);
  await page.close();
});

test('at 390 px the list is cards, and a card opens a usable details panel', async () => {
  const page = await openAs({ width: 390, height: 844 });
  const cards = page.getByTestId('actions-cards');
  // The undo test above took toolbar-setup.exe out of Pending.
  const first = cards.locator('li').filter({ hasText: 'a-rather-long' });
  await first.waitFor();
  await expect(first.textContent()).resolves.toMatch(/Quarantine file/);
  await expect(first.textContent()).resolves.toMatch(/High/);
  await expect(first.textContent()).resolves.toMatch(/Expires/);
  await expect(
    page.evaluate<number>('document.documentElement.scrollWidth'),
  ).resolves.toBeLessThanOrEqual(390);
  await screenshot(page, 'pending-phone');

  await first.getByTestId('card-details').click();
  const panel = page.getByTestId('action-details');
  await panel.getByTestId('why-proposed').waitFor();
  const approve = panel.getByRole('button', { name: 'Approve' });
  await approve.scrollIntoViewIfNeeded();
  const box = await approve.boundingBox();
  expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390).toBe(true);
  await expect(
    page.evaluate<number>('document.documentElement.scrollWidth'),
  ).resolves.toBeLessThanOrEqual(390);
  await screenshot(page, 'details-phone');
  await page.close();
});
