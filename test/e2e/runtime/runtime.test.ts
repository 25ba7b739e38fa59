// The embedded runtime end to end, over HTTP, as an operator and an alert producer use it.

import { readFileSync } from 'node:fs';
import { ListExecutionsCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { jest } from '@jest/globals';
import { signWebhook, WEBHOOK_HEADERS } from '../../../functions/core/webhook-signature.js';
import { OPENAPI_FILE } from '../../../infra/openapi/write.js';
import {
  apiClient,
  awsCredentialsOf,
  eventHeaders,
  eventually,
  newDataDir,
  putEventsBody,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../../support/runtime-process.js';

jest.setTimeout(120_000);

const ransomwareAlert = (alertId: string) => ({
  alertId,
  title: 'Ransomware behaviour on FIN-LAPTOP-7',
  severity: 'high',
  detectionSource: 'EDR',
  detectedAt: new Date().toISOString(),
  entities: [
    { kind: 'device', id: 'dev-7', verdict: 'clean', displayName: 'FIN-LAPTOP-7' },
    {
      kind: 'file',
      id: 'sha256:abc',
      verdict: 'malicious',
      deviceId: 'dev-7',
      displayName: 'locker.exe',
    },
  ],
});

async function sendAlert(runtime: RuntimeProcess, alertId: string) {
  const response = await fetch(`${runtime.url}/api/events`, {
    method: 'POST',
    headers: await eventHeaders(),
    body: JSON.stringify(putEventsBody(ransomwareAlert(alertId))),
  });
  const body = (await response.json()) as { FailedEntryCount: number };
  expect(body.FailedEntryCount).toBe(0);
}

async function pendingAction(runtime: RuntimeProcess, token: string, alertId: string) {
  const api = apiClient(runtime.url, token);
  return eventually(async () => {
    const list = await api.get('/actions?tab=pending');
    return list.json?.items?.find((a: { alertId: string }) => a.alertId === alertId);
  }, 'the pending action to be listed');
}

async function approveAndFollow(runtime: RuntimeProcess, token: string, actionId: string) {
  const api = apiClient(runtime.url, token);
  const approved = await api.post(`/actions/${actionId}/approve`, {
    comment: 'confirmed ransomware',
  });
  expect(approved.status).toBe(200);
  const completed = await eventually(async () => {
    const action = await api.get(`/actions/${actionId}`);
    return action.json?.status === 'Completed' ? action.json : undefined;
  }, 'the remediation to complete');
  const history = await api.get('/actions?tab=history&window=1d');
  const listed = history.json.items.find((a: { id: string }) => a.id === actionId);
  const investigation = await eventually(async () => {
    const detail = await api.get(`/investigations/${completed.investigationId}`);
    return detail.json?.investigation?.status === 'Remediated' ? detail.json : undefined;
  }, 'the investigation to be Remediated');
  // The appender batches what is owed for 200 ms: the completion reaches the chain just after.
  await eventually(async () => {
    const entries: { event: string; actionId: string }[] = (await api.get('/audit?window=1d')).json
      ?.items;
    const events = entries?.filter((e) => e.actionId === actionId).map((e) => e.event) ?? [];
    return events.includes('ActionApproved') && events.includes('ActionCompleted')
      ? true
      : undefined;
  }, 'the approval and the completion in the audit chain');
  const audit = await api.get('/audit/verify');
  return { completed, listed, investigation, audit: audit.json };
}

describe('the embedded runtime', () => {
  let runtime: RuntimeProcess;
  let dataDir: string;

  beforeEach(() => {
    dataDir = newDataDir();
  });
  afterEach(async () => {
    await runtime?.kill().catch(() => undefined);
    removeDataDir(dataDir);
  });

  it('takes an alert to a pending action, and an approval to a completed remediation', async () => {
    runtime = await startRuntimeProcess({ dataDir });
    const token = await tokenFor('ana@example.com', ['SecurityAdmin']);

    await sendAlert(runtime, 'alert-e2e-1');
    const pending = await pendingAction(runtime, token, 'alert-e2e-1');
    const api = apiClient(runtime.url, token);
    const pendingGauge = `action_center_pending_actions{severity="${pending.severity}"}`;
    const whilePending = await api.get('/metrics');
    const result = await approveAndFollow(runtime, token, pending.id);
    const afterwards = await api.get('/metrics');

    expect(pending).toMatchObject({ type: 'quarantineFile', status: 'Pending' });
    expect(result.completed.decision).toMatchObject({
      by: 'ana@example.com',
      comment: 'confirmed ransomware',
    });
    expect(result.listed).toMatchObject({
      status: 'Completed',
      decision: { by: 'ana@example.com' },
    });
    expect(result.investigation.investigation.status).toBe('Remediated');
    expect(result.audit.ok).toBe(true);
    // The entries after the newest checkpoint, and the one at it: at least the completion.
    expect(result.audit.checked).toBeGreaterThanOrEqual(1);
    // GET /api/metrics, as Prometheus scrapes it: the action counted while it waited, not after.
    expect(whilePending.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    expect(whilePending.text).toContain(`${pendingGauge} 1\n`);
    expect(afterwards.text).toContain(`${pendingGauge} 0\n`);
  });

  it('keeps a pending action approvable across a graceful stop (Ctrl+C, SIGTERM) and restart', async () => {
    runtime = await startRuntimeProcess({ dataDir });
    const token = await tokenFor('ana@example.com', ['SecurityAdmin']);
    await sendAlert(runtime, 'alert-e2e-stop');
    const pending = await pendingAction(runtime, token, 'alert-e2e-stop');

    expect(await runtime.stop()).toBe(0);
    runtime = await startRuntimeProcess({ dataDir });
    const stillPending = await pendingAction(runtime, token, 'alert-e2e-stop');
    const result = await approveAndFollow(runtime, token, pending.id);

    expect(stillPending.id).toBe(pending.id);
    expect(result.completed.status).toBe('Completed');
    expect(result.investigation.investigation.status).toBe('Remediated');
  });

  it('keeps a pending action approvable across a kill -9 and restart', async () => {
    runtime = await startRuntimeProcess({ dataDir });
    const token = await tokenFor('ana@example.com', ['SecurityAdmin']);
    await sendAlert(runtime, 'alert-e2e-2');
    const pending = await pendingAction(runtime, token, 'alert-e2e-2');

    await runtime.kill();
    runtime = await startRuntimeProcess({ dataDir });
    const stillPending = await pendingAction(runtime, token, 'alert-e2e-2');
    const result = await approveAndFollow(runtime, token, pending.id);

    expect(stillPending.id).toBe(pending.id);
    expect(result.completed.status).toBe('Completed');
    expect(result.investigation.investigation.status).toBe('Remediated');
    expect(result.audit.ok).toBe(true);
  });

  it('expires a pending action: it leaves Pending, approving answers 410, the investigation ends TerminatedBySystem', async () => {
    runtime = await startRuntimeProcess({ dataDir, env: { PENDING_ACTION_TTL_SECONDS: '5' } });
    const token = await tokenFor('ana@example.com', ['SecurityAdmin']);
    const api = apiClient(runtime.url, token);
    await sendAlert(runtime, 'alert-e2e-3');
    const pending = await pendingAction(runtime, token, 'alert-e2e-3');

    await eventually(async () => {
      const list = await api.get('/actions?tab=pending');
      return list.json.items.some((a: { id: string }) => a.id === pending.id) ? undefined : true;
    }, 'the action to leave the Pending tab');
    const late = await api.post(`/actions/${pending.id}/approve`, {});
    const investigation = await eventually(async () => {
      const detail = await api.get(`/investigations/${pending.investigationId}`);
      return detail.json?.investigation?.status === 'TerminatedBySystem' ? detail.json : undefined;
    }, 'the investigation to end TerminatedBySystem');

    expect(late.status).toBe(410);
    expect(late.json.error.code).toBe('Expired');
    expect(investigation.actions[0].status).toBe('Expired');
  });

  it('ends the investigation of a stopped execution: its action leaves Pending and approving it answers 409', async () => {
    runtime = await startRuntimeProcess({ dataDir });
    const token = await tokenFor('ana@example.com', ['SecurityAdmin']);
    const api = apiClient(runtime.url, token);
    await sendAlert(runtime, 'alert-e2e-stopped');
    const pending = await pendingAction(runtime, token, 'alert-e2e-stopped');
    // An operator's StopExecution, through the runtime's Step Functions API.
    const sfn = new SFNClient({
      endpoint: runtime.url,
      region: 'us-east-1',
      credentials: awsCredentialsOf(runtime),
    });
    const { executions } = await sfn.send(new ListExecutionsCommand({}));
    const execution = executions?.find((e) => e.name === pending.investigationId);

    await sfn.send(new StopExecutionCommand({ executionArn: execution?.executionArn }));
    const investigation = await eventually(async () => {
      const detail = await api.get(`/investigations/${pending.investigationId}`);
      return detail.json?.investigation?.status === 'TerminatedByUser' ? detail.json : undefined;
    }, 'the investigation to end TerminatedByUser');
    const list = await api.get('/actions?tab=pending');
    const late = await api.post(`/actions/${pending.id}/approve`, {});
    sfn.destroy();

    expect(investigation.actions[0]).toMatchObject({
      id: pending.id,
      status: 'Rejected',
      decision: { by: 'System' },
    });
    expect(list.json.items.map((a: { id: string }) => a.id)).not.toContain(pending.id);
    expect(late.status).toBe(409);
    expect(late.json.action).toMatchObject({ id: pending.id, status: 'Rejected' });
  });

  it('serves the committed OpenAPI document at /api/openapi.json without a token', async () => {
    runtime = await startRuntimeProcess({ dataDir });
    const anonymous = apiClient(runtime.url);

    const document = await anonymous.get('/openapi.json');
    const me = await anonymous.get('/me');

    expect(document.status).toBe(200);
    expect(document.json).toEqual(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
    expect(me.status).toBe(401);
  });

  it('routes signed webhook callbacks without a token, checking the signature', async () => {
    const secret = 'whsec-e2e-0123456789abcdef';
    runtime = await startRuntimeProcess({ dataDir, env: { WEBHOOK_SECRET: secret } });
    const unknownAction = `act-${'0'.repeat(20)}-${'0'.repeat(12)}`;
    const body = JSON.stringify({
      version: 1,
      actionId: unknownAction,
      operation: 'execute',
      state: 'completed',
      outcome: 'Applied',
    });
    const send = (headers: Record<string, string>) =>
      fetch(`${runtime?.url}/api/connectors/webhook/callbacks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
      });
    const timestamp = String(Math.floor(Date.now() / 1000));

    const signed = await send({
      [WEBHOOK_HEADERS.timestamp]: timestamp,
      [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
    });
    const unsigned = await send({});

    // Past the signature to the action lookup: the route is public, the signature is the gate.
    expect(signed.status).toBe(404);
    expect(unsigned.status).toBe(401);
  });

  it('refuses to start on a port already in use, with a clear message', async () => {
    runtime = await startRuntimeProcess({ dataDir });
    const port = new URL(runtime.url).port;

    const second = startRuntimeProcess({ dataDir: newDataDir(), env: { PORT: port } });

    await expect(second).rejects.toThrow(/already in use/);
  });
});
