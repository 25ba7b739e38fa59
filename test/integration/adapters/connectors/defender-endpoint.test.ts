// The defender connector against the local Microsoft stand-in: machine actions tracked through
// the workflow's own steps (remediateApproved, then advanceRunning when each check is due),
// failures and reasons, idempotent submission, token expiry, a device that is gone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DefenderConnector } from '../../../../functions/adapters/connectors/defender.js';
import { DynamoLiveResponsePacing } from '../../../../functions/adapters/dynamodb/live-response-pacing.js';
import type { Action, Target } from '../../../../functions/core/model.js';
import {
  DEFAULT_CONNECTOR_RETRY,
  type RemediationTracking,
} from '../../../../functions/core/remediation.js';
import {
  advanceRunning,
  type RemediatePorts,
  remediateApproved,
} from '../../../../functions/services/workflow/remediate.js';
import { ApiHarness } from '../../../support/api-harness.js';
import { decisionAudit } from '../../../support/audit-records.js';
import {
  BROKEN,
  type DefenderStandIn,
  LAPTOP,
  MACHINES,
  SERVER,
  startDefenderStandIn,
} from '../../../support/defender-standin.js';

let api: ApiHarness;
let defender: DefenderStandIn;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
afterEach(() => defender?.standIn.close());

function connectorFor(d: DefenderStandIn) {
  return new DefenderConnector({
    api: d.api,
    pacing: new DynamoLiveResponsePacing(api.table.doc, api.table.config, 3_600_000),
    liveResponseScript: 'actioncenter-remediate.ps1',
    timeoutSeconds: 262_800,
    now: d.now,
  });
}

function portsFor(connector: DefenderConnector): RemediatePorts {
  return {
    actions: api.stores.actions,
    dedup: api.stores.dedup,
    connectors: { connectorFor: () => connector },
    clock: () => api.now,
    settings: {
      pendingActionTtlSeconds: 604_800,
      automation: { endpoint: 'semi', email: 'semi' },
      assetGroups: [],
      approvalsRequired: {},
      connectorRetry: DEFAULT_CONNECTOR_RETRY,
    },
  };
}

/** An approved action on the target, as the workflow finds it. */
async function approved(type: Action['type'], target: Target): Promise<Action> {
  const action = await api.pending({ type, target, alertId: `alert-${Math.random()}` });
  const verdict = { verdict: 'approve' as const, by: 'analyst' };
  return api.stores.actions.decide(
    action.id,
    verdict,
    api.now,
    decisionAudit(action.id, verdict, api.now),
  );
}

/** Runs the workflow's steps, each when its check is due, until the action is no longer Running. */
async function runToEnd(ports: RemediatePorts, action: Action) {
  let step = await remediateApproved(ports, action);
  const trackings: RemediationTracking[] = [];
  while (step.action.status === 'Running' && step.tracking) {
    trackings.push(step.tracking);
    api.now = new Date(step.tracking.checkAt);
    step = await advanceRunning(ports, step.action, step.tracking);
  }
  return { action: await api.stores.actions.get(action.id), trackings };
}

const device = (id: string): Target => ({
  kind: 'device',
  id,
  displayName: `device ${id.slice(0, 6)}`,
});

describe('defender connector: machine actions', () => {
  it('isolates a device: Pending, then InProgress, then Succeeded over several polls, and only then Completed', async () => {
    // Prepare
    defender = await startDefenderStandIn({ pollsPerStep: 2 });
    const connector = connectorFor(defender);
    const action = await approved('isolateDevice', device(LAPTOP));

    // Act
    const { action: done, trackings } = await runToEnd(portsFor(connector), action);

    // Assess
    expect(done?.status).toBe('Completed');
    expect(done?.result?.outcome).toBe('DeviceIsolated');
    const [lookup] = defender.calls('GET', /^\/api\/machineactions$/);
    expect(lookup?.query).toEqual({
      $filter: `machineId eq '${LAPTOP}' and type eq 'Isolate'`,
    });
    const posts = defender.calls('POST', /\/isolate$/);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.path).toBe(`/api/machines/${LAPTOP}/isolate`);
    expect(posts[0]?.headers['content-type']).toBe('application/json');
    expect(posts[0]?.headers.authorization).toMatch(/^Bearer standin\.defenderEndpoint\./);
    expect(posts[0]?.body).toEqual({
      Comment: `Action Center ${action.id}: isolateDevice (alert ${action.alertId})`,
      IsolationType: 'Full',
    });
    const [machineAction] = defender.endpoint.machineActions.keys();
    const polls = defender.calls('GET', /^\/api\/machineactions\/.+/);
    expect(polls.map((p) => p.path)).toEqual(Array(5).fill(`/api/machineactions/${machineAction}`));
    expect(trackings.map((t) => t.ref)).toEqual(Array(5).fill(machineAction));
    expect(trackings.at(-1)?.detail).toBe(
      `Defender for Endpoint machine action ${machineAction} is InProgress`,
    );
  });

  it('fails the action with the reason when the machine action ends Failed', async () => {
    defender = await startDefenderStandIn();
    const action = await approved('isolateDevice', device(BROKEN));

    const { action: done } = await runToEnd(portsFor(connectorFor(defender)), action);

    expect(done?.status).toBe('Failed');
    expect(done?.result?.outcome).toBe('Failed');
    expect(done?.result?.detail).toMatch(
      /^Defender for Endpoint machine action [0-9a-f-]{36} \(Isolate\) on desktop-39g9tgl ended Failed$/,
    );
  });

  it('stops and quarantines a file by its SHA-1 on the device', async () => {
    defender = await startDefenderStandIn();
    const sha1 = '87662bc3d60e4200ceaf7aae249d1c343f4b83c9';
    const action = await approved('quarantineFile', {
      kind: 'file',
      id: 'sha256:4f7c…',
      displayName: 'invoice.exe',
      deviceId: SERVER,
      sha1,
    });

    const { action: done } = await runToEnd(portsFor(connectorFor(defender)), action);

    expect(done?.status).toBe('Completed');
    expect(done?.result?.outcome).toBe('FileQuarantined');
    const [post] = defender.calls('POST', /StopAndQuarantineFile$/);
    expect(post?.path).toBe(`/api/machines/${SERVER}/StopAndQuarantineFile`);
    expect(post?.body).toEqual({
      Comment: `Action Center ${action.id}: quarantineFile (alert ${action.alertId})`,
      Sha1: sha1,
    });
  });

  it('does not ask for a second machine action when the action is submitted again', async () => {
    defender = await startDefenderStandIn();
    const connector = connectorFor(defender);
    const action = await approved('isolateDevice', device(SERVER));

    const first = await connector.submit(action);
    const again = await connector.submit(action);

    expect(defender.calls('POST', /\/isolate$/)).toHaveLength(1);
    expect(first).toMatchObject({ state: 'running' });
    expect(again).toMatchObject({
      state: 'running',
      ref: first.state === 'running' ? first.ref : '',
    });
  });

  it('fails the action, saying so, when Defender no longer knows the device (404)', async () => {
    defender = await startDefenderStandIn();
    const action = await approved('isolateDevice', device('0'.repeat(40)));

    const { action: done } = await runToEnd(portsFor(connectorFor(defender)), action);

    expect(done?.status).toBe('Failed');
    expect(done?.result?.outcome).toBe('NotFound');
    expect(done?.result?.detail).toBe(
      `Defender for Endpoint answered HTTP 404 ResourceNotFound: Machine ${'0'.repeat(40)} was not found`,
    );
  });

  it('gets a new token when the one it holds expires mid-run, and tracking goes on', async () => {
    defender = await startDefenderStandIn();
    const connector = connectorFor(defender);
    const action = await approved('isolateDevice', device(LAPTOP));
    const running = await connector.submit(action);
    const ref = running.state === 'running' ? running.ref : undefined;

    defender.standIn.expireTokens();
    const next = await connector.status(action, ref);

    expect(next).toMatchObject({ state: 'running', ref });
    const signIns = defender.standIn.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(signIns).toHaveLength(2);
    const polls = defender.calls('GET', /^\/api\/machineactions\/.+/);
    expect(polls.map((p) => p.headers.authorization)).toHaveLength(2);
    expect(polls[1]?.headers.authorization).not.toBe(polls[0]?.headers.authorization);
  });

  it('names the permission the app lacks when Defender refuses the call (403)', async () => {
    defender = await startDefenderStandIn({ permissions: ['Machine.Read.All'] });
    const action = await approved('isolateDevice', device(MACHINES[0] as string));

    const { action: done } = await runToEnd(portsFor(connectorFor(defender)), action);

    expect(done?.status).toBe('Failed');
    expect(done?.result?.detail).toContain(
      'the app needs the application permission Machine.Isolate',
    );
  });

  it('undoes an isolation by asking Defender to release the device', async () => {
    defender = await startDefenderStandIn();
    const action = await approved('isolateDevice', device(MACHINES[1] as string));
    const { action: done } = await runToEnd(portsFor(connectorFor(defender)), action);

    const undone = await connectorFor(defender).undo(done as Action);

    expect(done?.status).toBe('Completed');
    expect(undone.outcome).toBe('DeviceReleaseRequested');
    const [post] = defender.calls('POST', /\/unisolate$/);
    expect(post?.path).toBe(`/api/machines/${MACHINES[1]}/unisolate`);
    expect(post?.body).toEqual({
      Comment: `Action Center ${action.id}: undo isolateDevice (alert ${action.alertId})`,
    });
  });
});
