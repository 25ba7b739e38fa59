// An action that expires while the operator looks at it: the countdown runs out, and approving
// it then is answered 410 and shown as an expiry, not as a generic failure.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
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

test('approving an action after it expired shows that it expired and that nothing was done', async () => {
  const page = await chromium.newPage();
  await signIn(page, center.url, await center.token('ana@example.com', ['GlobalAdmin']));
  await center.sendAlerts([
    {
      alertId: 'web-expiry',
      title: 'Beacon to a known C2 host',
      severity: 'medium',
      detectionSource: 'EDR',
      detectedAt: new Date().toISOString(),
      entities: [
        {
          kind: 'file',
          id: 'sha256:beacon',
          verdict: 'malicious',
          deviceId: 'dev-ops-02',
          displayName: 'beacon.dll',
        },
      ],
    },
  ]);
  await center.pendingActions('web-expiry', 1);

  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByRole('link', { name: 'Details of Quarantine file on beacon.dll' }).click();
  const panel = page.getByTestId('action-details');
  const countdown = panel.getByTestId('expiry-countdown');
  await expect(countdown.textContent()).resolves.toMatch(/^Expires in \d+s$/);
  await panel.getByText('Expired', { exact: true }).waitFor({ timeout: (TTL_SECONDS + 5) * 1000 });

  await panel.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();

  const failure = panel.getByTestId('decision-failure');
  await failure.waitFor();
  await expect(failure.textContent()).resolves.toMatch(
    /Action expired.*can no longer be approved or rejected\. Nothing was done to the target\./,
  );
  await expect(panel.getByTestId('details-status').textContent()).resolves.toBe('Expired');
  await expect(panel.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
});
