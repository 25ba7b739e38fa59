// An action that expires while the operator looks at it: it leaves Pending with a note the moment
// its countdown runs out, and a decision confirmed after that is answered 410 and shown as an
// expiry, not as a generic failure.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { AlertDetail } from '../../../functions/core/model.js';
import { type OpenBrowser, openBrowser, signIn } from './support/browser.js';
import { type RunningActionCenter, startActionCenter } from './support/runtime.js';

jest.setTimeout(120_000);

const TTL_SECONDS = 12;

let center: RunningActionCenter;
let chromium: OpenBrowser;

beforeAll(async () => {
  [center, chromium] = await Promise.all([
    startActionCenter({ PENDING_ACTION_TTL_SECONDS: String(TTL_SECONDS) }),
    openBrowser(),
  ]);
});

afterAll(async () => {
  await chromium?.close();
  await center?.close();
});

const beaconAlert = (alertId: string, name: string): AlertDetail => ({
  alertId,
  title: 'Beacon to a known C2 host',
  severity: 'medium',
  detectionSource: 'EDR',
  detectedAt: new Date().toISOString(),
  entities: [
    {
      kind: 'file',
      id: `sha256:${name}`,
      verdict: 'malicious',
      deviceId: 'dev-ops-02',
      displayName: name,
    },
  ],
});

/** A fresh pending action, its details open in a page signed in as an admin. */
async function showFreshAction(alertId: string, name: string): Promise<Page> {
  const page = await chromium.newPage();
  await signIn(page, center.url, await center.token('ana@example.com', ['GlobalAdmin']));
  await center.sendAlerts([beaconAlert(alertId, name)]);
  await center.pendingActions(alertId, 1);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByRole('link', { name: `Details of Quarantine file on ${name}` }).click();
  return page;
}

test('an action whose expiry passes while shown leaves Pending with a note, no click needed', async () => {
  // Prepare
  const page = await showFreshAction('web-expiry-live', 'beacon.dll');
  const panel = page.getByTestId('action-details');
  const countdown = panel.getByTestId('expiry-countdown');
  await expect(countdown.textContent()).resolves.toMatch(/^Expires in \d+s$/);

  // Act: only wait.
  const note = panel.getByTestId('expired-note');
  await note.waitFor({ timeout: (TTL_SECONDS + 5) * 1000 });

  // Assess
  await expect(note.textContent()).resolves.toMatch(
    /^Expired at .+; it can no longer be decided\.$/,
  );
  await expect(panel.getByTestId('details-status').textContent()).resolves.toBe('Expired');
  await expect(panel.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
  // No negative duration (ids are hex, so "-3d" could be one of theirs: units h, m, s only).
  await expect(panel.textContent()).resolves.not.toMatch(/Expires in -|-\d+[hms]\b/);
  await page
    .getByRole('table', { name: 'Pending actions' })
    .getByRole('row')
    .filter({ hasText: 'beacon.dll' })
    .waitFor({ state: 'detached' });
});

test('approving an action after it expired shows that it expired and that nothing was done', async () => {
  // Prepare: the dialog is opened in time, and confirmed too late.
  const page = await showFreshAction('web-expiry', 'beacon-late.dll');
  const panel = page.getByTestId('action-details');
  await panel.getByRole('button', { name: 'Approve' }).click();
  await panel.getByText('Expired', { exact: true }).waitFor({ timeout: (TTL_SECONDS + 5) * 1000 });

  // Act
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();

  // Assess
  const failure = panel.getByTestId('decision-failure');
  await failure.waitFor();
  await expect(failure.textContent()).resolves.toMatch(
    /Action expired.*can no longer be approved or rejected\. Nothing was done to the target\./,
  );
  await expect(panel.getByTestId('details-status').textContent()).resolves.toBe('Expired');
  await expect(panel.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
});
