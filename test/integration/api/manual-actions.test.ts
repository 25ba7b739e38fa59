// Manual actions: proposed by one person through POST /actions, approved by another.
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { plus, T0 } from '../../fixtures/actions.js';
import {
  ADMIN,
  ApiHarness,
  ARA,
  HARNESS_STATE_MACHINE_ARN,
  READER,
  waitTokenFor,
} from '../../support/api-harness.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

const isolate = {
  type: 'isolateDevice',
  target: { kind: 'device', id: 'dev-1', displayName: 'laptop-ana-04', deviceId: 'dev-1' },
  comment: 'beaconing',
};

describe('POST /actions', () => {
  it('creates a Pending manual action in an investigation of its own and starts it', async () => {
    const res = await api.post('/actions', { claims: ARA, body: isolate });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: 'isolateDevice',
      category: 'endpoint',
      source: 'Manual',
      status: 'Pending',
      proposedBy: 'responder@example.com',
      severity: 'medium',
    });
    const starts = api.sfn.commandCalls(StartExecutionCommand);
    expect(starts).toHaveLength(1);
    expect(starts[0]?.args[0].input).toMatchObject({
      stateMachineArn: HARNESS_STATE_MACHINE_ARN,
      name: res.body.investigationId,
    });
    const detail = await api.get(`/investigations/${res.body.investigationId}`, { claims: ADMIN });
    expect(detail.body.investigation.detectionSource).toBe('Manual');
    expect(detail.body.actions.map((a: { id: string }) => a.id)).toEqual([res.body.id]);
    const { items } = await api.stores.audit.list({ window: '180d', limit: 200 }, api.now);
    expect(items.find((e) => e.actionId === res.body.id)).toMatchObject({
      event: 'ActionProposed',
      actor: 'responder@example.com',
      before: null,
      after: 'Pending',
      comment: 'beaconing',
      policy: ['endpoint-deciders'],
    });
  });

  it('refuses the proposer their own approval naming the rule, and lets another person approve', async () => {
    const proposed = await api.post('/actions', { claims: ARA, body: isolate });

    const own = await api.post(`/actions/${proposed.body.id}/approve`, { claims: ARA });
    const other = await api.post(`/actions/${proposed.body.id}/approve`, { claims: ADMIN });

    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('no-self-approval');
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ status: 'Approved', decision: { by: 'admin@example.com' } });
    // The refusal is in the audit log, naming the policy that refused it.
    const { items } = await api.stores.audit.list({ window: '180d', limit: 200 }, api.now);
    const entries = items.filter((e) => e.actionId === proposed.body.id).reverse();
    expect(entries.map((e) => [e.event, e.actor, e.before, e.after, e.policy])).toEqual([
      ['ActionProposed', 'responder@example.com', null, 'Pending', ['endpoint-deciders']],
      ['DecisionRefused', 'responder@example.com', 'Pending', 'Pending', ['no-self-approval']],
      ['ActionApproved', 'admin@example.com', 'Pending', 'Approved', ['endpoint-deciders']],
    ]);
    expect(entries[1]?.comment).toMatch(/^approve refused: The person who proposed an action/);
  });

  it('joins an open investigation and wakes its wait', async () => {
    const existing = await api.pending();

    const res = await api.post('/actions', {
      claims: ADMIN,
      body: { ...isolate, investigationId: existing.investigationId },
    });

    expect(res.status).toBe(201);
    expect(res.body.investigationId).toBe(existing.investigationId);
    expect(res.body.severity).toBe(existing.severity);
    expect(api.resumes().map((r) => r.args[0].input.taskToken)).toEqual([
      waitTokenFor(existing.investigationId),
    ]);
    expect(api.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('answers 400 to a type that does not act on the target kind', async () => {
    const res = await api.post('/actions', {
      claims: ADMIN,
      body: { ...isolate, type: 'softDeleteEmail' },
    });

    expect(res.status).toBe(400);
    expect(api.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('answers 403 to a caller the policies do not let propose', async () => {
    const res = await api.post('/actions', { claims: READER, body: isolate });

    expect(res.status).toBe(403);
    expect(api.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('answers 404 for an investigation that does not exist', async () => {
    const res = await api.post('/actions', {
      claims: ADMIN,
      body: { ...isolate, investigationId: 'inv-00000000000000000000' },
    });

    expect(res.status).toBe(404);
  });
});
