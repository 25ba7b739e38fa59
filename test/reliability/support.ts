// What the in-process reliability tests share: the investigation harness (real ASL on the local
// engine, real task handlers over dynalite) with the real decide API handler in front, a
// Workflow that counts the resumes decisions send to an investigation's wait (and can fail them),
// the reconciler over the same, and the audit trail per action.

import { defaultApprovalPolicies } from '../../functions/adapters/cedar/index.js';
import { DynamoRemediationReports } from '../../functions/adapters/dynamodb/remediation-reports.js';
import { createDecideHandler } from '../../functions/api/decide-routes.js';
import type { ApiHandler } from '../../functions/api/http/api-handler.js';
import type { AuditEntry } from '../../functions/core/model.js';
import type { Workflow } from '../../functions/core/ports.js';
import { createReconcileHandler } from '../../functions/services/reconcile.js';
import { engineWorkflow } from '../../infra/local/engine/index.js';
import { apiEvent, claimsFor, lambdaContext } from '../support/api-events.js';
import type { ApiResponse } from '../support/api-harness.js';
import { type LocalTable, startLocalTable } from '../support/dynalite.js';
import { eventually } from '../support/eventually.js';
import {
  type HarnessOptions,
  type InvestigationHarness,
  startInvestigationHarness,
} from '../support/investigation-harness.js';

export const ADMIN = claimsFor('ana@example.com', ['GlobalAdmin']);

export interface ReliabilityRig {
  table: LocalTable;
  harness: InvestigationHarness;
  decide: ApiHandler;
  /** Resumes sent by decisions and the reconciler that reached the engine (landed or not). */
  resumes: { sent: number };
  /** Makes the next resumes fail: return an error to throw, or undefined to let it through. */
  callbackFault: { next?: () => Error | undefined };
  workflow: Workflow;
  /** One run of the scheduled reconciler, with no grace period (it would only make tests wait). */
  reconcile(): ReturnType<ReturnType<typeof createReconcileHandler>>;
  /**
   * Runs the reconciler until no audit record is owed: a lease a fault kept from being released
   * holds every appender off until it lapses (up to 25 s), as in AWS until the next schedule.
   */
  appendAllOwed(): Promise<void>;
  approve(actionId: string): Promise<ApiResponse>;
  reject(actionId: string): Promise<ApiResponse>;
  auditOf(actionId: string): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

export async function startRig(
  options: HarnessOptions & { table?: LocalTable } = {},
): Promise<ReliabilityRig> {
  const table = options.table ?? (await startLocalTable());
  const harness = await startInvestigationHarness(table, options);
  const engine = engineWorkflow(harness.engine);
  const resumes = { sent: 0 };
  const callbackFault: ReliabilityRig['callbackFault'] = {};
  const workflow: Workflow = {
    resume: async (token, output) => {
      const fault = callbackFault.next?.();
      if (fault) throw fault;
      resumes.sent += 1;
      return engine.resume(token, output);
    },
  };
  const reconcile = createReconcileHandler(
    {
      actions: harness.stores.actions,
      investigations: harness.stores.investigations,
      audit: harness.stores.audit,
      workflow,
      clock: () => new Date(),
      callbackRetry: { attempts: 2, baseDelayMs: 5 },
    },
    { graceSeconds: 0 },
  );
  const decide = createDecideHandler({
    actions: harness.stores.actions,
    investigations: harness.stores.investigations,
    workflow,
    starter: engine,
    stateMachineArn: harness.stateMachineArn,
    policies: defaultApprovalPolicies(),
    clock: () => new Date(),
    callbackRetry: { attempts: 3, baseDelayMs: 2 },
    // No webhook connector is configured: its callbacks are refused.
    webhookCallbacks: {
      actions: harness.stores.actions,
      investigations: harness.stores.investigations,
      workflow,
      reports: new DynamoRemediationReports(table.doc, table.config),
      webhookSecret: async () => undefined,
      clock: () => new Date(),
    },
  });
  const call = async (actionId: string, verdict: 'approve' | 'reject'): Promise<ApiResponse> => {
    const out = await decide(
      apiEvent('POST', `/actions/${actionId}/${verdict}`, { body: {}, claims: ADMIN }),
      lambdaContext(),
    );
    let body: unknown;
    try {
      body = JSON.parse(out.body);
    } catch {
      body = undefined;
    }
    return {
      status: out.statusCode,
      headers: (out.headers ?? {}) as ApiResponse['headers'],
      text: out.body,
      body,
    };
  };
  return {
    table,
    harness,
    decide,
    resumes,
    callbackFault,
    workflow,
    reconcile: () => reconcile(),
    async appendAllOwed() {
      await eventually(
        async () => {
          await reconcile();
          return (await harness.stores.actions.auditOwed(1)).length === 0;
        },
        { timeoutMs: 45_000, intervalMs: 500, what: 'no audit record owed' },
      );
    },
    approve: (id) => call(id, 'approve'),
    reject: (id) => call(id, 'reject'),
    async auditOf(actionId) {
      const entries: AuditEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await harness.stores.audit.list(
          { window: '1d', limit: 200, cursor },
          new Date(),
        );
        entries.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return entries.filter((e) => e.actionId === actionId).sort((a, b) => a.seq - b.seq);
    },
    async close() {
      await harness.close();
      await table.stop();
    },
  };
}

/** An alert whose one malicious file becomes one action awaiting approval. */

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
