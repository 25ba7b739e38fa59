// Rejected alerts and where an alert came from, on the page. Until ingest records rejected events,
// they are seeded straight into the runtime's table: the runtime is stopped, its dynalite data
// opened here, the items written (and the investigation's origin set), then the runtime restarted
// on the same data. The second test reads what the first one seeded.

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { createDocumentClient } from '../../../functions/adapters/dynamodb/client.js';
import { createStores } from '../../../functions/adapters/dynamodb/index.js';
import { keys } from '../../../functions/adapters/dynamodb/keys.js';
import { loadConfig } from '../../../functions/config.js';
import { investigationIdFor } from '../../../functions/core/ids.js';
import type { AlertDetail, RejectedAlert } from '../../../functions/core/model.js';
import { startLocalDynamoDB } from '../../../infra/local/dynamodb.js';
import {
  apiClient,
  eventHeaders,
  eventually,
  newDataDir,
  putEventsBody,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../../support/runtime-process.js';
import { type OpenBrowser, openBrowser, signIn } from './support/browser.js';

jest.setTimeout(180_000);

const TABLE_NAME = 'ActionCenter';
const ALERT_ID = 'web-origin-guardduty';
const HOSTILE_BODY = '{"note":"<img src=x onerror=\\"window.__pwned=1\\">","schemaVersion":"2.0"';
const ORIGIN = {
  source: 'securityhub',
  findingId: 'arn:aws:securityhub:us-east-1:123456789012:finding/0d5a1f3c',
  product: 'GuardDuty',
  link: 'https://console.aws.amazon.com/securityhub/home?region=us-east-1#/findings',
  sample: true,
};

let dataDir: string;
let runtime: RuntimeProcess;
let chromium: OpenBrowser;

const alert: AlertDetail = {
  alertId: ALERT_ID,
  title: 'Trojan on a build host',
  severity: 'high',
  detectionSource: 'EDR',
  detectedAt: new Date().toISOString(),
  entities: [
    {
      kind: 'file',
      id: 'sha256:origin-demo',
      verdict: 'malicious',
      deviceId: 'dev-build-01',
      displayName: 'trojan.exe',
    },
  ],
};

/** 51 rejected events, one a minute back from now, the newest with a body that looks like HTML. */
function rejectedEvents(now: number): RejectedAlert[] {
  return Array.from({ length: 51 }, (_, i) => ({
    id: `rej-${String(i).padStart(2, '0')}`,
    receivedAt: new Date(now - (i + 1) * 60_000).toISOString(),
    source: 'aws.guardduty',
    detailType: 'GuardDuty Finding',
    eventId: `rej-${i}`,
    reason: i === 0 ? 'The finding names no resource' : `Unmappable finding ${i}`,
    problems: ['resource: required', 'type: unknown finding type'],
    body: i === 0 ? HOSTILE_BODY : '{"schemaVersion":"2.0"}',
    truncated: false,
  }));
}

/** Writes into the stopped runtime's table, as ingest and the adapters would have. */
async function seed(): Promise<void> {
  const dynamo = await startLocalDynamoDB(TABLE_NAME, dataDir);
  try {
    const config = loadConfig({
      ...process.env,
      TABLE_NAME,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
    });
    const doc = createDocumentClient(config);
    const stores = createStores(config, doc);
    for (const rejected of rejectedEvents(Date.now())) await stores.rejectedAlerts.record(rejected);
    await doc.send(
      new UpdateCommand({
        TableName: TABLE_NAME,
        Key: keys.investigation(investigationIdFor(ALERT_ID)),
        UpdateExpression: 'SET origin = :origin, noActionReason = :reason',
        ExpressionAttributeValues: {
          ':origin': ORIGIN,
          ':reason': 'The finding also names an IAM access key, which no action here can disable',
        },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
    doc.destroy();
  } finally {
    await dynamo.close();
  }
}

beforeAll(async () => {
  dataDir = newDataDir();
  [runtime, chromium] = await Promise.all([
    startRuntimeProcess({ dataDir, env: { TABLE_NAME } }),
    openBrowser(),
  ]);
});

afterAll(async () => {
  await chromium?.close();
  await runtime?.stop();
  removeDataDir(dataDir);
});

test('rejected alerts: empty at first, then listed newest first with their body as text, paged', async () => {
  // Prepare: nothing rejected yet.
  const page = await chromium.newPage();
  const token = await tokenFor('ana@example.com', ['SecurityReader']);
  await signIn(page, runtime.url, token);
  await page.getByRole('link', { name: 'Rejected alerts' }).click();
  await page.getByText('No rejected alerts in the last 30 days').waitFor();
  // ... and an alert whose investigation will carry an origin.
  const events = await fetch(`${runtime.url}/api/events`, {
    method: 'POST',
    headers: await eventHeaders(),
    body: JSON.stringify(putEventsBody(alert)),
  });
  expect(events.status).toBe(200);
  const admin = apiClient(runtime.url, await tokenFor('harness@example.com', ['GlobalAdmin']));
  await eventually(async () => {
    const list = await admin.get('/actions?tab=pending&limit=200');
    return list.json?.items?.some((a: { alertId: string }) => a.alertId === ALERT_ID)
      ? true
      : undefined;
  }, 'the pending action of the alert');
  await runtime.stop();
  await seed();
  runtime = await startRuntimeProcess({ dataDir, env: { TABLE_NAME } });

  // Act
  await signIn(page, runtime.url, token);
  await page.getByRole('link', { name: 'Rejected alerts' }).click();
  const table = page.getByRole('table', { name: 'Rejected alerts' });
  await table.getByText('The finding names no resource').waitFor();

  // Assess: newest first, 50 a page, then the rest.
  const rows = table.locator('tbody tr');
  await expect(rows.count()).resolves.toBe(50);
  await expect(rows.first().textContent()).resolves.toContain('The finding names no resource');
  await expect(rows.first().textContent()).resolves.toContain('GuardDuty Finding');
  await expect(rows.first().textContent()).resolves.toContain('resource: required');
  await expect(rows.nth(1).textContent()).resolves.toContain('Unmappable finding 1');
  await page.getByRole('button', { name: 'Load more' }).click();
  await table.getByText('Unmappable finding 50').waitFor();
  await expect(rows.count()).resolves.toBe(51);

  // The body opens as text: the markup in it is shown, never run.
  await rows.first().getByText('The finding names no resource').click();
  const body = page.getByTestId('rejected-body');
  await expect(body.textContent()).resolves.toBe(HOSTILE_BODY);
  await expect(page.getByTestId('rejected-details').locator('img').count()).resolves.toBe(0);
  await expect(page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).resolves.toBe(
    undefined,
  );
});

test('the origin shows on the investigation page and in the action details panel', async () => {
  // Prepare
  const page = await chromium.newPage();
  await signIn(page, runtime.url, await tokenFor('ana@example.com', ['GlobalAdmin']));

  // Act
  await page.goto(`${runtime.url}/#/investigations/${investigationIdFor(ALERT_ID)}`);

  // Assess
  await page.getByTestId('origin-source').waitFor();
  await expect(page.getByTestId('origin-source').textContent()).resolves.toBe('AWS Security Hub');
  await expect(page.getByTestId('origin-product').textContent()).resolves.toBe('GuardDuty');
  await expect(page.getByTestId('origin-finding-id').textContent()).resolves.toBe(ORIGIN.findingId);
  await expect(page.getByTestId('origin-sample').textContent()).resolves.toBe('sample finding');
  const link = page.getByTestId('origin-link');
  await expect(link.getAttribute('href')).resolves.toBe(ORIGIN.link);
  await expect(link.getAttribute('target')).resolves.toBe('_blank');
  await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');
  await expect(page.getByTestId('no-action-reason').textContent()).resolves.toMatch(
    /IAM access key/,
  );

  // Act: the action's details panel.
  await page.goto(`${runtime.url}/#/pending`);
  await page.getByRole('link', { name: 'Details of Quarantine file on trojan.exe' }).click();

  // Assess
  const panel = page.getByTestId('action-details');
  await panel.getByTestId('origin-source').waitFor();
  await expect(panel.getByTestId('origin-source').textContent()).resolves.toBe('AWS Security Hub');
  await expect(panel.getByTestId('origin-finding-id').textContent()).resolves.toBe(
    ORIGIN.findingId,
  );
  await expect(panel.getByTestId('origin-link').getAttribute('rel')).resolves.toBe(
    'noopener noreferrer',
  );
});
