// Each workflow use case emits its business metric where the thing happens, once: a replayed
// pass or a redelivered alert counts nothing twice.
import { normalizeAlert, openInvestigation } from '../../../../functions/core/alert.js';
import { investigationIdFor } from '../../../../functions/core/ids.js';
import type { Action } from '../../../../functions/core/model.js';
import { type IngestPorts, ingestAlert } from '../../../../functions/services/ingest.js';
import {
  type AdvancePorts,
  createAdvanceHandler,
} from '../../../../functions/services/workflow/advance.js';
import { createInvestigateHandler } from '../../../../functions/services/workflow/investigate.js';
import { alertEvent, anAlert, file, message, url } from '../../../fixtures/alerts.js';
import { decisionAudit } from '../../../support/audit-records.js';
import { type MetricsRecorder, recordMetrics } from '../../../support/metrics.js';
import { type FakePorts, fakeIngestPorts, fakePorts } from './fakes.js';

const ALERT = anAlert('alert-m', [
  file('f1', 'malicious'),
  url('u1', 'suspicious'),
  message('m1', 'malicious', 'c1'),
]);
const INV = investigationIdFor('alert-m');

let ports: FakePorts;
let metrics: MetricsRecorder;

beforeEach(() => {
  ports = fakePorts();
  metrics = recordMetrics();
});
afterEach(() => metrics.restore());

async function investigated(): Promise<Action[]> {
  await ports.investigations.createOnce(openInvestigation(normalizeAlert(ALERT), ports.clock()));
  await createInvestigateHandler(ports)({ investigationId: INV });
  return ports.actions.of(INV);
}

/** A file action submitted and running on its target, its first status check due. */
async function running(): Promise<Action> {
  const [action] = (await investigated()).filter((a) => a.type === 'quarantineFile') as [Action];
  await ports.actions.decide(
    action.id,
    { verdict: 'approve', by: 'analyst' },
    ports.clock(),
    decisionAudit(action.id, { verdict: 'approve', by: 'analyst' }, ports.clock()),
  );
  ports.fakes.connector.script.push({ state: 'running', ref: 'job-1' });
  await createAdvanceHandler(ports)({ investigationId: INV });
  ports.fakes.advance(2);
  return action;
}

/**
 * A pass, then the same pass again a second later from what the first one read (a retried task
 * whose first try had written its changes).
 */
async function passReplayed(): Promise<void> {
  const seen = await ports.investigations.get(INV);
  const tracking = await ports.actions.trackingOf(INV);
  await createAdvanceHandler(ports)({ investigationId: INV });
  ports.fakes.advance(1);
  const stale: AdvancePorts = {
    ...ports,
    investigations: Object.assign(Object.create(ports.investigations), {
      get: async () => structuredClone(seen),
    }),
    actions: Object.assign(Object.create(ports.actions), {
      trackingOf: async () => new Map(tracking),
    }),
  };
  await createAdvanceHandler(stale)({ investigationId: INV });
}

const ingestPorts = (): IngestPorts => fakeIngestPorts(new Date('2026-11-01T12:00:00.000Z')).ports;

describe('ingest', () => {
  it('counts an alert once, however often it is delivered', async () => {
    const p = ingestPorts();

    await ingestAlert(alertEvent(ALERT), p);
    await ingestAlert(alertEvent(ALERT), p);

    expect(metrics.values('AlertsIngested')).toEqual([1]);
    expect(metrics.values('AlertsRejected')).toEqual([]);
  });

  it('counts an event that is not an alert as rejected', async () => {
    await ingestAlert({ id: 'e-1', detail: { alertId: 42 } }, ingestPorts());

    expect(metrics.values('AlertsRejected')).toEqual([1]);
    expect(metrics.values('AlertsIngested')).toEqual([]);
  });
});

describe('Investigate', () => {
  it('counts the proposed actions by category, once when replayed', async () => {
    const actions = await investigated();
    await createInvestigateHandler(ports)({ investigationId: INV });
    const byCategory = (c: string) => actions.filter((a) => a.category === c).length;

    expect(metrics.total('ActionsProposed', 'endpoint')).toBe(byCategory('endpoint'));
    expect(metrics.total('ActionsProposed', 'email')).toBe(byCategory('email'));
    expect(byCategory('endpoint')).toBeGreaterThan(0);
    expect(byCategory('email')).toBeGreaterThan(0);
    expect(metrics.values('ActionsProposed')).toEqual([]);
  });
});

describe('Advance', () => {
  it('counts a completed remediation once when the pass is replayed', async () => {
    await running();
    ports.fakes.connector.script.push(
      { state: 'completed', outcome: 'FileQuarantined' },
      { state: 'completed', outcome: 'FileQuarantined' },
    );

    await passReplayed();

    expect(ports.fakes.connector.calls.filter((c) => c.verb === 'status')).toHaveLength(2);
    expect(metrics.values('RemediationsCompleted')).toEqual([1]);
  });

  it('counts a failed remediation once when the pass is replayed', async () => {
    await running();
    ports.fakes.connector.script.push(
      { state: 'failed', reason: 'device offline' },
      { state: 'failed', reason: 'device offline' },
    );

    await passReplayed();

    expect(metrics.values('RemediationsFailed')).toEqual([1]);
  });

  it('counts an expired action once when the pass is replayed', async () => {
    const actions = await investigated();
    ports.fakes.advance(604_800);

    await passReplayed();

    expect(metrics.total('ActionsExpired')).toBe(actions.length);
    expect(metrics.values('ActionsExpired')).toEqual(actions.map(() => 1));
  });
});
