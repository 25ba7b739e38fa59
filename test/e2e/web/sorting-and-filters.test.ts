// Triage at scale in Chromium against the embedded runtime: the API sorts the whole Pending list
// (not the loaded rows) in both directions across "Load more", the header counts the whole list,
// two severities filter together, and the Asset column names devices instead of their ids.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { AlertDetail, Entity, Severity } from '../../../functions/core/model.js';
import { type OpenBrowser, openBrowser, screenshot, signIn } from './support/browser.js';
import { type RunningActionCenter, startActionCenter } from './support/runtime.js';

jest.setTimeout(180_000);

const OPERATOR = { user: 'ana@example.com', roles: ['SecurityAdmin', 'SearchAndPurge'] };
const SEVERITY_LABELS = ['Critical', 'High', 'Medium', 'Low', 'Informational'] as const;

/** An alert on one named device: `files` malicious files, one action each. */
function deviceAlert(alertId: string, severity: Severity, files: number): AlertDetail {
  const deviceId = `dev-${alertId}`;
  const entities: Entity[] = [
    { kind: 'device', id: deviceId, verdict: 'clean', displayName: `WS-${alertId.toUpperCase()}` },
    ...Array.from({ length: files }, (_, i) => ({
      kind: 'file' as const,
      id: `sha256:${alertId}-${i}`,
      verdict: 'malicious' as const,
      deviceId,
      displayName: `payload-${alertId}-${i}.bin`,
    })),
  ];
  return {
    alertId,
    title: `Payloads on ${alertId}`,
    severity,
    detectionSource: 'EDR',
    detectedAt: new Date().toISOString(),
    entities,
  };
}

// 6 critical, 20 high and 6 low actions: 32, more than one page of 25.
const ALERTS = [
  deviceAlert('crit-a', 'critical', 3),
  deviceAlert('crit-b', 'critical', 3),
  ...['high-a', 'high-b', 'high-c', 'high-d'].map((id) => deviceAlert(id, 'high', 5)),
  deviceAlert('low-a', 'low', 3),
  deviceAlert('low-b', 'low', 3),
];

let center: RunningActionCenter;
let chromium: OpenBrowser;

beforeAll(async () => {
  [center, chromium] = await Promise.all([startActionCenter(), openBrowser()]);
  // The low ones first, so the newest are not simply the most severe.
  for (const alert of [...ALERTS].reverse()) {
    await center.sendAlerts([alert]);
    await center.pendingActions(alert.alertId, alert.entities.length - 1);
  }
});

afterAll(async () => {
  await chromium?.close();
  await center?.close();
});

/** The operator's Pending tab, 25 rows a page. */
async function openPending(): Promise<Page> {
  const page = await chromium.newPage();
  await page.goto(center.url);
  await page.evaluate(() => {
    sessionStorage.clear();
    // Default columns (added to an empty choice), 25 rows a page.
    const preferences = { pageSize: 25, wrapLines: false, stripedRows: false, contentDisplay: [] };
    localStorage.setItem('actionCenter.columns.pending', JSON.stringify(preferences));
  });
  await signIn(page, center.url, await center.token(OPERATOR.user, OPERATOR.roles));
  return page;
}

const table = (page: Page) => page.getByRole('table', { name: 'Pending actions' });

/** The severity each listed row shows, top to bottom. */
async function severities(page: Page): Promise<string[]> {
  const rows = await table(page).locator('tbody tr').allTextContents();
  return rows.map((text) => SEVERITY_LABELS.find((label) => text.includes(label)) ?? '?');
}

/** Waits until the table lists exactly `count` rows. */
async function rowCount(page: Page, count: number): Promise<void> {
  const rows = table(page).locator('tbody tr');
  await rows.nth(count - 1).waitFor();
  await rows.nth(count).waitFor({ state: 'detached' });
}

/** Waits until the first row shows `severity`. */
const firstRowIs = (page: Page, severity: string) =>
  table(page).locator('tbody tr').first().filter({ hasText: severity }).waitFor();

const severityHeader = (page: Page) => table(page).getByRole('columnheader', { name: /Severity/ });

/** Clicks the Severity header's sorting control (its sticky copy covers it for the pointer). */
const sortBySeverity = (page: Page) =>
  severityHeader(page).locator('[class*="header-cell-content"]').dispatchEvent('click');

test('Pending sorts the whole list by severity, critical first, then ascending across Load more', async () => {
  // Prepare
  const page = await openPending();
  await rowCount(page, 25);

  // Assess: the default order puts all 6 critical actions first, and counts all 32
  expect((await severities(page)).slice(0, 7)).toEqual([...Array(6).fill('Critical'), 'High']);
  await expect(severityHeader(page).getAttribute('aria-sort')).resolves.toBe('descending');
  await page
    .getByRole('heading', { name: /Pending actions/ })
    .getByText('(32)')
    .waitFor();
  const firstRow = await table(page).locator('tbody tr').first().textContent();
  expect(firstRow).toContain('WS-CRIT-');
  expect(firstRow).not.toContain('dev-crit');
  await screenshot(page, 'pending-sorted-by-severity');

  // Act: ascending
  await sortBySeverity(page);
  await firstRowIs(page, 'Low');
  await rowCount(page, 25);
  await page.getByTestId('load-more').click();
  await rowCount(page, 32);

  // Assess: low first, and the critical ones last, on the second page
  const ascending = await severities(page);
  await expect(severityHeader(page).getAttribute('aria-sort')).resolves.toBe('ascending');
  expect(ascending).toEqual([
    ...Array(6).fill('Low'),
    ...Array(20).fill('High'),
    ...Array(6).fill('Critical'),
  ]);

  // Act: descending again
  await sortBySeverity(page);
  await firstRowIs(page, 'Critical');
  await rowCount(page, 25);
  await page.getByTestId('load-more').click();
  await rowCount(page, 32);

  // Assess
  expect(await severities(page)).toEqual([
    ...Array(6).fill('Critical'),
    ...Array(20).fill('High'),
    ...Array(6).fill('Low'),
  ]);
  await expect(severityHeader(page).getAttribute('aria-sort')).resolves.toBe('descending');
});

test('two severities filter together: critical or low, 12 of 32', async () => {
  // Prepare
  const page = await openPending();
  await rowCount(page, 25);
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/actions?')) requests.push(request.url());
  });
  await page.evaluate(() =>
    sessionStorage.setItem(
      'actionCenter.filter.pending',
      JSON.stringify({
        operation: 'and',
        tokens: [
          { propertyKey: 'severity', operator: '=', value: 'critical' },
          { propertyKey: 'severity', operator: '=', value: 'low' },
        ],
      }),
    ),
  );

  // Act
  await page.reload();
  await rowCount(page, 12);

  // Assess
  expect(await severities(page)).toEqual([...Array(6).fill('Critical'), ...Array(6).fill('Low')]);
  await page
    .getByRole('heading', { name: /Pending actions/ })
    .getByText('(12)')
    .waitFor();
  expect(requests.some((url) => new URL(url).searchParams.get('severity') === 'critical,low')).toBe(
    true,
  );
  const tokens = (await page.locator('[class*="token"]').allTextContents()).join(' | ');
  expect(tokens).toContain('Critical');
  expect(tokens).toContain('Low');
});
