// Defender both ways, end to end: the runtime started as `npm run defender:standin` prints (the
// sample tenant's settings and its CONNECTORS) polls a Defender alert, and approving its actions
// turns into the Defender for Endpoint calls the stand-in records: a stop-and-quarantine machine
// action followed until Succeeded, and a URL indicator.
import { jest } from '@jest/globals';
import {
  recent,
  SAMPLE_CONNECTORS,
  type SampleTenant,
  sampleAlert,
  startSampleTenant,
} from '../../../infra/local/microsoft/sample-tenant.js';
import { apiClient, eventually, tokenFor } from '../../support/runtime-process.js';
import { type SourceRuntime, settled, startSourceRuntime } from '../../support/source-runtime.js';

jest.setTimeout(120_000);

const ALERT = 'da637578995287051192_756343937';
const MACHINE = '73e7e2de709dff64ef64b1d0c30e67fab63279db';
const SHA1 = '5f1e8acedc065031aad553b710838eb366cfee9a';

describe('Defender remediation from the local runtime', () => {
  let tenant: SampleTenant;
  let bus: SourceRuntime;

  beforeAll(async () => {
    tenant = await startSampleTenant({
      alerts: [
        recent(
          sampleAlert('test/fixtures/sources/defender/graph-alert-updated.json'),
          Date.now(),
          30,
        ),
      ],
    });
    bus = await startSourceRuntime({
      ...tenant.env,
      DEFENDER_POLL_SECONDS: '1',
      CONNECTORS: SAMPLE_CONNECTORS,
    });
  });
  afterAll(async () => {
    await bus?.stop();
    await tenant?.standIn.close();
  });

  it('turns approvals into a tracked machine action and an indicator, completed when Defender says so', async () => {
    // Prepare: the polled alert's actions wait for a decision.
    const view = await bus.waitFor(
      `defender:${ALERT}`,
      (v) => settled(v) && v.actions.length === 2,
    );
    const admin = apiClient(bus.runtime.url, await tokenFor('ana@example.com', ['GlobalAdmin']));
    const byType = Object.fromEntries(view.actions.map((a) => [a.type, a.id]));

    // Act
    const approvals = await Promise.all(
      ['quarantineFile', 'blockUrl'].map((type) =>
        admin.post(`/actions/${byType[type]}/approve`, { comment: 'confirmed on the device' }),
      ),
    );
    const done = await eventually(
      async () => {
        const actions = await Promise.all(
          ['quarantineFile', 'blockUrl'].map(
            async (type) => (await admin.get(`/actions/${byType[type]}`)).json,
          ),
        );
        if (actions.some((a) => a.status === 'Failed')) throw new Error(JSON.stringify(actions));
        return actions.every((a) => a.status === 'Completed') ? actions : undefined;
      },
      'both actions Completed',
      60_000,
    );

    // Assess: what Defender for Endpoint was asked, exactly.
    expect(approvals.map((a) => a.status)).toEqual([200, 200]);
    const quarantine = tenant.standIn.requests.filter(
      (r) => r.method === 'POST' && r.path === `/api/machines/${MACHINE}/StopAndQuarantineFile`,
    );
    expect(quarantine).toHaveLength(1);
    expect(quarantine[0]?.body).toMatchObject({
      Sha1: SHA1,
      Comment: expect.stringContaining(String(byType.quarantineFile)),
    });
    expect(quarantine[0]?.headers.authorization).toMatch(/^Bearer standin\.defenderEndpoint\./);
    const [machineAction] = [...tenant.endpoint.machineActions.keys()];
    const polls = tenant.standIn.requests.filter(
      (r) => r.path === `/api/machineactions/${machineAction}`,
    );
    expect(polls.length).toBeGreaterThanOrEqual(3); // Pending, InProgress, Succeeded
    expect(
      tenant.standIn.requests.some((r) => r.method === 'POST' && r.path === '/api/indicators'),
    ).toBe(true);
    expect([...tenant.endpoint.indicators.values()].map((i) => i.indicatorValue)).toContain(
      'http://down.esales360.cn',
    );
    expect(done.map((a) => a.result.outcome)).toEqual([expect.any(String), expect.any(String)]);
  });
});
