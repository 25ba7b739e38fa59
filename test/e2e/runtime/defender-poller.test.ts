// Defender alerts in, end to end: the runtime started with the Defender settings pointed at the
// Microsoft stand-in's sample tenant polls Graph on its timer, publishes each alert to its bus, and
// the alerts become investigations whose actions wait in the Pending tab.
import { jest } from '@jest/globals';
import {
  recent,
  type SampleTenant,
  sampleAlert,
  startSampleTenant,
} from '../../../infra/local/microsoft/sample-tenant.js';
import {
  proposed,
  type SourceRuntime,
  settled,
  startSourceRuntime,
} from '../../support/source-runtime.js';

jest.setTimeout(90_000);

const ALERT = 'da637578995287051192_756343937';
const FILE = '8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec';

describe('Defender alerts polled from Microsoft Graph', () => {
  let tenant: SampleTenant;
  let bus: SourceRuntime;

  beforeAll(async () => {
    const now = Date.now();
    tenant = await startSampleTenant({
      alerts: [
        // Defender's published alert: every verdict `unknown`, nothing to propose yet.
        recent(sampleAlert('test/fixtures/sources/defender/graph-alert-get.json'), now, 30),
      ],
    });
    bus = await startSourceRuntime({ ...tenant.env, DEFENDER_POLL_SECONDS: '1' });
  });
  afterAll(async () => {
    await bus?.stop();
    await tenant?.standIn.close();
  });

  it('turns a polled alert into an investigation, and its update into Pending actions', async () => {
    // Prepare
    const first = await bus.waitFor(`defender:${ALERT}`);
    const later = new Date(Date.now() + 1000).toISOString();

    // Act: Defender updates the alert (the file now malicious, a URL added).
    tenant.alerts.put({
      ...recent(
        sampleAlert('test/fixtures/sources/defender/graph-alert-updated.json'),
        Date.now(),
        30,
      ),
      lastUpdateDateTime: later,
    });
    const updated = await bus.waitFor(
      `defender:${ALERT}`,
      (v) => settled(v) && v.actions.length > 0,
    );

    // Assess
    expect(first.actions).toEqual([]);
    expect(updated.investigation.id).toBe(first.investigation.id);
    expect(proposed(updated)).toEqual([
      'blockUrl http://down.esales360.cn',
      `quarantineFile ${FILE}`,
    ]);
    expect(updated.actions.map((a) => a.status)).toEqual(['Pending', 'Pending']);
    expect(await bus.pendingIds(updated.investigation.id)).toEqual(
      updated.actions.map((a) => a.id).sort(),
    );
    const polls = tenant.standIn.requests.filter((r) => r.path === '/v1.0/security/alerts_v2');
    expect(polls.length).toBeGreaterThan(1);
    expect(polls[0]?.query.$filter).toMatch(
      /^lastUpdateDateTime gt \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/,
    );
    expect(polls[0]?.headers.authorization).toMatch(/^Bearer standin\.graph\./);
  });
});
