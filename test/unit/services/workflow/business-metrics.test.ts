// Each workflow use case emits its business metric where the thing happens, once: a replayed
// task or a redelivered alert counts nothing twice.
import { investigationIdFor } from '../../../../functions/core/ids.js';
import type { Action } from '../../../../functions/core/model.js';
import { type IngestPorts, ingestAlert } from '../../../../functions/services/ingest.js';
import { createAnalyzeHandler } from '../../../../functions/services/workflow/analyze.js';
import { createMarkExpiredHandler } from '../../../../functions/services/workflow/mark-expired.js';
import { createNormalizeHandler } from '../../../../functions/services/workflow/normalize.js';
import { createPlanHandler } from '../../../../functions/services/workflow/plan.js';
import { createRecordRemediationFailureHandler } from '../../../../functions/services/workflow/record-remediation-failure.js';
import { createRemediateHandler } from '../../../../functions/services/workflow/remediate.js';
import { alertEvent, anAlert, file, message, url } from '../../../fixtures/alerts.js';
import { type MetricsRecorder, recordMetrics } from '../../../support/metrics.js';
import { FakeActions, FakeInvestigations, type FakePorts, fakePorts } from './fakes.js';

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

async function planned(): Promise<Action[]> {
  const normalized = await createNormalizeHandler(ports)({ alert: ALERT });
  const analysis = await createAnalyzeHandler(ports)(normalized);
  const plan = await createPlanHandler(ports)({
    investigationId: INV,
    alertId: ALERT.alertId,
    severity: ALERT.severity,
    evidence: analysis.evidence,
    threatsFound: analysis.threatsFound,
  });
  return plan.actions.map((proposal) => proposal.action);
}

function ingestPorts(): IngestPorts {
  const started = new Set<string>();
  return {
    investigations: new FakeInvestigations(
      new FakeActions(),
    ) as unknown as IngestPorts['investigations'],
    starter: {
      async startInvestigation(_arn, name) {
        if (started.has(name)) return { started: false };
        started.add(name);
        return { started: true };
      },
    },
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Investigation',
    clock: () => new Date('2026-11-01T12:00:00.000Z'),
  };
}

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

describe('Plan', () => {
  it('counts the proposed actions by category', async () => {
    const actions = await planned();
    const byCategory = (c: string) => actions.filter((a) => a.category === c).length;

    expect(metrics.total('ActionsProposed', 'endpoint')).toBe(byCategory('endpoint'));
    expect(metrics.total('ActionsProposed', 'email')).toBe(byCategory('email'));
    expect(byCategory('endpoint')).toBeGreaterThan(0);
    expect(byCategory('email')).toBeGreaterThan(0);
    expect(metrics.values('ActionsProposed')).toEqual([]);
  });
});

describe('Remediate', () => {
  it('counts a completed remediation once, replayed or not', async () => {
    const [action] = (await planned()) as [Action];
    ports.fakes.actions.seed({ ...action, status: 'Approved' });
    const remediate = createRemediateHandler(ports);

    await remediate({ investigationId: INV, actionId: action.id });
    await remediate({ investigationId: INV, actionId: action.id });

    expect(metrics.values('RemediationsCompleted')).toEqual([1]);
  });
});

describe('RecordRemediationFailure', () => {
  it('counts a failed remediation once, replayed or not', async () => {
    const [action] = (await planned()) as [Action];
    ports.fakes.actions.seed({ ...action, status: 'Running' });
    const record = createRecordRemediationFailureHandler(ports);
    const error = { Error: 'ConnectorPermanentError', Cause: 'device offline' };

    await record({ investigationId: INV, actionId: action.id, error });
    await record({ investigationId: INV, actionId: action.id, error });

    expect(metrics.values('RemediationsFailed')).toEqual([1]);
  });
});

describe('MarkExpired', () => {
  it('counts an expired action once, replayed or not', async () => {
    const [action] = (await planned()) as [Action];
    ports.fakes.actions.seed(action);
    const markExpired = createMarkExpiredHandler(ports);

    await markExpired({ investigationId: INV, actionId: action.id });
    await markExpired({ investigationId: INV, actionId: action.id });

    expect(metrics.values('ActionsExpired')).toEqual([1]);
  });
});
