// An approval turning into Microsoft Defender calls, end to end on one machine: ingest, the real
// ASL on the local engine, the real task handlers over dynalite, and the defender connector as
// the configuration routes it (createConnectorRegistry), against the Microsoft stand-in.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { anAlert } from '../../fixtures/alerts.js';
import {
  CLIENT,
  type DefenderStandIn,
  LAPTOP,
  SECRET,
  startDefenderStandIn,
  TENANT,
} from '../../support/defender-standin.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';
import { eventually } from '../../support/eventually.js';
import {
  type InvestigationHarness,
  startInvestigationHarness,
} from '../../support/investigation-harness.js';

let defender: DefenderStandIn;
let table: LocalTable;
let harness: InvestigationHarness;

beforeAll(async () => {
  defender = await startDefenderStandIn();
  table = await startLocalTable({
    CONNECTORS: JSON.stringify({
      default: 'builtin',
      types: { isolateDevice: 'defender', blockUrl: 'defender' },
    }),
    DEFENDER_TENANT_ID: TENANT,
    DEFENDER_CLIENT_ID: CLIENT,
    DEFENDER_CLIENT_SECRET: SECRET,
    DEFENDER_LOGIN_URL: defender.standIn.url,
    GRAPH_URL: defender.standIn.url,
    MDE_API_URL: defender.standIn.url,
  });
  harness = await startInvestigationHarness(table);
});
afterAll(async () => {
  await harness.close();
  await table.stop();
  await defender.standIn.close();
});

it('isolates the device and blocks the URL in Defender once an operator approves, and records Completed only when Microsoft says Succeeded', async () => {
  // Prepare
  const alertId = `alert-defender-${Math.random()}`;
  await harness.ingest(
    anAlert(alertId, [
      { kind: 'device', id: LAPTOP, verdict: 'malicious', displayName: 'laptop-7.contoso.com' },
      { kind: 'url', id: 'http://phish.example/login', verdict: 'malicious' },
    ]),
  );

  // Act
  await harness.decide(alertId, LAPTOP, 'approve');
  await harness.decide(alertId, 'http://phish.example/login', 'approve');
  const isolated = await eventually(
    async () => {
      const action = await harness.actionOf(alertId, LAPTOP);
      return action?.status === 'Completed' || action?.status === 'Failed' ? action : undefined;
    },
    { timeoutMs: 45_000, what: 'the isolation to finish' },
  );
  const blocked = await harness.waitForAction(
    alertId,
    'http://phish.example/login',
    (a) => a.status === 'Completed',
    'Completed',
  );

  // Assess
  expect(isolated.status).toBe('Completed');
  expect(isolated.result?.outcome).toBe('DeviceIsolated');
  expect(blocked.result?.outcome).toBe('UrlBlocked');
  const isolate = defender.calls('POST', /\/isolate$/);
  expect(isolate.map((r) => [r.path, r.body])).toEqual([
    [
      `/api/machines/${LAPTOP}/isolate`,
      {
        Comment: `Action Center ${isolated.id}: isolateDevice (alert ${alertId})`,
        IsolationType: 'Full',
      },
    ],
  ]);
  const polls = defender.calls('GET', /^\/api\/machineactions\/.+/);
  expect(polls).toHaveLength(3);
  expect(defender.calls('POST', /^\/api\/indicators$/).map((r) => r.body)).toEqual([
    expect.objectContaining({ indicatorValue: 'http://phish.example/login', action: 'Block' }),
  ]);
  const signIn = defender.standIn.requests.filter((r) => r.path === `/${TENANT}/oauth2/v2.0/token`);
  expect(signIn.map((r) => (r.body as { scope: string }).scope)).toEqual([
    'https://api.securitycenter.microsoft.com/.default',
  ]);
}, 60_000);
