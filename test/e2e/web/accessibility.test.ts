// axe-core on every page and state an operator meets, at 1440, 1024 and 390 px wide: sign-in, the
// Pending list, History, the details panel, the approve dialog, an investigation, the rejected
// alerts, and a decision link. No serious or critical violation is allowed.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { Action } from '../../../functions/core/model.js';
import { linkFor } from '../../../functions/services/links.js';
import { type AxeViolation, seriousViolations } from './support/axe.js';
import { type OpenBrowser, openBrowser } from './support/browser.js';
import { dropperAlert, type RunningActionCenter, startActionCenter } from './support/runtime.js';

jest.setTimeout(180_000);

const LINK_SECRET = 'e2e-accessibility-link-key-0123456789abcdef';
const OPERATOR = { user: 'ana@example.com', roles: ['SecurityAdmin', 'SearchAndPurge'] };
const WIDTHS = [1440, 1024, 390] as const;

let center: RunningActionCenter;
let chromium: OpenBrowser;
let action: Action;
let linkUrl: string;

beforeAll(async () => {
  [center, chromium] = await Promise.all([startActionCenter({ LINK_SECRET }), openBrowser()]);
  await center.sendAlerts([
    dropperAlert('a11y-1', 'payroll-dropper.exe'),
    dropperAlert('a11y-2', 'invoice-0412.pdf.exe'),
  ]);
  [action] = (await center.pendingActions('a11y-1', 1)) as [Action];
  await center.pendingActions('a11y-2', 1);
  const settings = { key: LINK_SECRET, ttlHours: 24, publicUrl: center.url };
  linkUrl = linkFor(settings, action, new Date()).url;
});

afterAll(async () => {
  await chromium?.close();
  await center?.close();
});

test.each(WIDTHS)('no serious or critical axe violation on any page at %i px', async (width) => {
  const found: Record<string, AxeViolation[]> = {};
  const check = async (page: Page, state: string) => {
    const violations = await seriousViolations(page);
    if (violations.length > 0) found[state] = violations;
  };
  const page = await chromium.newPage();
  await page.setViewportSize({ width, height: 900 });

  await page.goto(center.url);
  await page.getByLabel('Access token').waitFor();
  await check(page, 'sign-in');

  await page.getByLabel('Access token').fill(await center.token(OPERATOR.user, OPERATOR.roles));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /Pending actions/ }).waitFor();
  await page.getByText('payroll-dropper.exe').first().waitFor();
  await check(page, 'pending list');

  await page.goto(`${center.url}/#/actions/${action.id}`);
  const panel = page.getByTestId('action-details');
  await panel.getByTestId('why-proposed').getByTestId('details-alert-title').waitFor();
  await check(page, 'details panel');

  await panel.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('dialog').getByLabel('Comment').waitFor();
  await check(page, 'approve dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  await page.goto(`${center.url}/#/history`);
  await page.getByRole('heading', { name: /Action history/ }).waitFor();
  await check(page, 'history');

  await page.goto(`${center.url}/#/investigations/${action.investigationId}`);
  await page.getByTestId('pending-time').waitFor();
  await check(page, 'investigation');

  await page.goto(`${center.url}/#/alerts/rejected`);
  await page.getByText('No rejected alerts in the last 30 days').waitFor();
  await check(page, 'rejected alerts');

  await page.goto(linkUrl);
  await page.getByRole('heading', { name: 'Quarantine file on payroll-dropper.exe' }).waitFor();
  await check(page, 'decision link');

  await page.close();
  expect(found).toEqual({});
});
