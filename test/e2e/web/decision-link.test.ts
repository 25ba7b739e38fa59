// A decision link opened in the browser, as a person clicks it in a notification: it asks them to
// sign in, shows what the action would do and decides nothing until they confirm; it decides
// once; a person whose roles may not decide sees why and cannot.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { Action } from '../../../functions/core/model.js';
import { linkFor } from '../../../functions/services/links.js';
import { type OpenBrowser, openBrowser, screenshot } from './support/browser.js';
import { dropperAlert, type RunningActionCenter, startActionCenter } from './support/runtime.js';

jest.setTimeout(120_000);

const LINK_SECRET = 'e2e-decision-link-key-0123456789abcdef';
let center: RunningActionCenter;
let chromium: OpenBrowser;

beforeAll(async () => {
  [center, chromium] = await Promise.all([startActionCenter({ LINK_SECRET }), openBrowser()]);
});

afterAll(async () => {
  await chromium?.close();
  await center?.close();
});

/** A pending action of a new alert, and the link a notification would carry for it. */
async function pendingWithLink(alertId: string, name: string): Promise<[Action, string]> {
  await center.sendAlerts([dropperAlert(alertId, name)]);
  const [action] = await center.pendingActions(alertId, 1);
  const settings = { key: LINK_SECRET, ttlHours: 24, publicUrl: center.url };
  return [action as Action, linkFor(settings, action as Action, new Date()).url];
}

/** Opens the link signed out, as from an e-mail, and signs in on the page it shows. */
async function openSignedOut(url: string, user: string, roles: string[]): Promise<Page> {
  const page = await chromium.newPage();
  await page.goto(url);
  await page.getByLabel('Access token').fill(await center.token(user, roles));
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

test('a link opened signed out asks for sign-in, shows the action, and decides only on Approve', async () => {
  // Prepare
  const [action, url] = await pendingWithLink('web-link-1', 'invoice.exe');

  // Act: open it and sign in.
  const page = await openSignedOut(url, 'ana@example.com', ['GlobalAdmin']);

  // Assess: the confirmation view, nothing decided.
  await page.getByRole('heading', { name: 'Quarantine file on invoice.exe' }).waitFor();
  await expect(page.getByText('Opening this link decided nothing').count()).resolves.toBe(1);
  await expect(center.action(action.id)).resolves.toMatchObject({ status: 'Pending' });
  await screenshot(page, 'decision-link');

  // Act: confirm.
  await page.getByLabel('Comment').fill('confirmed with the user');
  await page.getByRole('button', { name: 'Approve' }).click();

  // Assess
  await page.getByText(/Decided: (Approved|Running|Completed)/).waitFor();
  const decided = await center.action(action.id);
  expect(decided.decision).toMatchObject({
    by: 'ana@example.com',
    comment: 'confirmed with the user',
  });

  // Act: the same link again.
  const again = await chromium.newPage();
  await again.goto(center.url);
  await again
    .getByLabel('Access token')
    .fill(await center.token('ben@example.com', ['GlobalAdmin']));
  await again.getByRole('button', { name: 'Sign in' }).click();
  await again.goto(url);

  // Assess: used, and says so.
  await again.getByText('This link cannot decide').waitFor();
  await expect(again.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
});

test('a person whose roles may not decide sees why, and the link stays usable', async () => {
  // Prepare
  const [action, url] = await pendingWithLink('web-link-2', 'macro.docm');

  // Act
  const page = await openSignedOut(url, 'rita@example.com', ['SecurityReader']);

  // Assess
  await page.getByText('You may not decide this action').waitFor();
  await expect(page.getByRole('button', { name: 'Approve' }).isDisabled()).resolves.toBe(true);
  await expect(page.getByRole('button', { name: 'Reject' }).isDisabled()).resolves.toBe(true);
  await expect(center.action(action.id)).resolves.toMatchObject({ status: 'Pending' });
});
