// The API handlers over an in-memory dynalite table, a mocked Step Functions client, a fake
// connector registry and a clock the test moves: what the API integration tests call. Every
// seeded action's investigation exists and waits on its one task token, as the workflow leaves it;
// a resume of that wait runs the workflow's undo step for the actions an operator asked to undo.
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { defaultApprovalPolicies } from '../../functions/adapters/cedar/index.js';
import { createStores, type Stores } from '../../functions/adapters/dynamodb/index.js';
import { DynamoRemediationReports } from '../../functions/adapters/dynamodb/remediation-reports.js';
import { StepFunctionsWorkflow } from '../../functions/adapters/stepfunctions/workflow-gateway.js';
import { createDecideHandler } from '../../functions/api/decide-routes.js';
import type { ApiHandler } from '../../functions/api/http/api-handler.js';
import { createReadHandler } from '../../functions/api/read-routes.js';
import type { ApprovalPolicies } from '../../functions/core/approval-policies.js';
import type { Action, Investigation } from '../../functions/core/model.js';
import type { Connector, ConnectorRegistry } from '../../functions/core/ports.js';
import { isUndoPending } from '../../functions/core/undo.js';
import { createReconcileHandler } from '../../functions/services/reconcile.js';
import type { RemediatePorts } from '../../functions/services/workflow/remediate.js';
import { undoRequested } from '../../functions/services/workflow/undo.js';
import { makeAction, makeInvestigation, plus, T0 } from '../fixtures/actions.js';
import { type ApiEventOptions, apiEvent, claimsFor, lambdaContext } from './api-events.js';
import { decisionAudit } from './audit-records.js';
import { type LocalTable, startLocalTable } from './dynalite.js';
import { appendOnOutboxWrites } from './outbox.js';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | number | boolean>;
  /** The raw body text. */
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields freely
  body: any;
}

type ActionOverrides = Parameters<typeof makeAction>[0];

export const emailAction = (overrides: ActionOverrides = {}) =>
  makeAction({
    type: 'softDeleteEmail',
    category: 'email',
    target: {
      kind: 'emailCluster',
      id: `cluster-${Math.random()}`,
      displayName: 'Invoice overdue',
      clusterId: `c-${Math.random()}`,
    },
    ...overrides,
  });

/** The secret the harness's webhook receivers sign their callbacks with. */
export const WEBHOOK_SECRET = 'whsec-harness-0123456789abcdef';

/** The investigation's wait token: recognisable so the tests can look for leaks. */
export const HARNESS_STATE_MACHINE_ARN =
  'arn:aws:states:us-east-1:123456789012:stateMachine:action-center-investigation';

/** The decision links' HMAC key of the harness's API. */
export const LINK_KEY = 'harness-link-key-0123456789abcdef0123456789';

export const waitTokenFor = (investigationId: string) => `TASKTOKEN-${investigationId}-s3cr3t`;

export class ApiHarness {
  now = plus(T0, 3600);
  readonly sfn = mockClient(SFNClient);
  readonly undoCalls: Action[] = [];
  /** When set, the fake connector's undo throws it (a refusal or an outage at the target). */
  undoFailure: Error | undefined;
  /** How long the fake connector's undo takes, so concurrent undos overlap. */
  undoDelayMs = 0;
  /** The undo steps the resumed "workflow" runs, to be awaited. */
  private readonly undoRuns: Promise<unknown>[] = [];
  private readonly undoAskedIn = new Set<string>();
  readonly read: ApiHandler;
  readonly decide: ApiHandler;
  /** The webhook receivers' callbacks, as the decide function keeps them. */
  readonly reports: DynamoRemediationReports;
  /** The Step Functions gateway over the mocked client, as the API and the reconciler use it. */
  readonly workflow = new StepFunctionsWorkflow(
    new SFNClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
  private constructor(
    readonly table: LocalTable,
    readonly stores: Stores,
    policies: ApprovalPolicies,
  ) {
    const clock = () => this.now;
    appendOnOutboxWrites(table.doc, { actions: stores.actions, audit: stores.audit, clock });
    const connector: Connector = {
      name: 'fake',
      timeoutSeconds: 3600,
      submit: async () => ({ state: 'completed', outcome: 'done' }),
      status: async () => ({ state: 'completed', outcome: 'done' }),
      undo: async (action) => {
        this.undoCalls.push(action);
        await new Promise((resolve) => setTimeout(resolve, this.undoDelayMs));
        if (this.undoFailure) throw this.undoFailure;
        return { outcome: 'restored', detail: `restored ${action.target.displayName}` };
      },
    };
    const connectors: ConnectorRegistry = { connectorFor: () => connector };
    this.undoPorts = {
      ...stores,
      connectors,
      clock,
      settings: {
        pendingActionTtlSeconds: 604_800,
        automation: { endpoint: 'semi', email: 'semi' },
        assetGroups: [],
        approvalsRequired: {},
        // No retries: a transient failure is the undo's failure at once.
        connectorRetry: { intervalSeconds: 1, maxAttempts: 0, backoffRate: 1 },
      },
    };
    const links = { links: stores.links, linkSettings: { key: LINK_KEY } };
    this.read = createReadHandler({ ...stores, clock, policies }, undefined, links);
    this.reports = new DynamoRemediationReports(table.doc, table.config);
    // The investigations an undo was asked in: only their resumes run the undo step.
    const actions = Object.assign(Object.create(stores.actions), {
      requestUndo: async (...args: Parameters<Stores['actions']['requestUndo']>) => {
        const requested = await stores.actions.requestUndo(...args);
        this.undoAskedIn.add(requested.investigationId);
        return requested;
      },
    }) as Stores['actions'];
    this.decide = createDecideHandler({
      actions,
      investigations: stores.investigations,
      workflow: this.workflow,
      starter: this.workflow,
      stateMachineArn: HARNESS_STATE_MACHINE_ARN,
      policies,
      clock,
      callbackRetry: { attempts: 4, baseDelayMs: 1 },
      undoWait: { seconds: 2, pollMs: 10 },
      decisionLinks: links,
      webhookCallbacks: {
        actions: stores.actions,
        investigations: stores.investigations,
        workflow: this.workflow,
        reports: this.reports,
        webhookSecret: async () => WEBHOOK_SECRET,
        clock,
      },
    });
    this.resetWorkflow();
  }

  /** `policies`: the approval policies the API asks (the defaults otherwise). */
  static async start(options: { policies?: ApprovalPolicies } = {}): Promise<ApiHarness> {
    const table = await startLocalTable();
    return new ApiHarness(
      table,
      createStores(table.config, table.doc),
      options.policies ?? defaultApprovalPolicies(),
    );
  }

  async stop(): Promise<void> {
    await this.undosSettled();
    this.sfn.restore();
    await this.table.stop();
  }

  private readonly undoPorts: RemediatePorts;

  /**
   * Step Functions accepts every resume and start; a resume runs the undo step of the woken
   * investigation's actions that wait for one, as Advance would, after the resume answered.
   */
  resetWorkflow(): void {
    this.sfn.reset();
    this.sfn.on(SendTaskSuccessCommand).callsFake(async (input: { output?: string }) => {
      const { investigationId } = JSON.parse(input.output ?? '{}') as { investigationId: string };
      if (this.undoAskedIn.has(investigationId)) this.undoRuns.push(this.runUndos(investigationId));
      return {};
    });
    this.sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: 'arn:execution', startDate: new Date() });
  }

  private async runUndos(investigationId: string): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const { actions } = await this.stores.investigations.get(investigationId);
    // As an Advance pass: its steps owe their records, which the appender chains.
    for (const action of actions.filter(isUndoPending)) {
      await undoRequested(this.undoPorts, action, undefined);
    }
  }

  /** Waits for every undo step the resumes started. */
  async undosSettled(): Promise<void> {
    await Promise.all(this.undoRuns);
  }

  /** Sends the event to the Lambda that serves its method, as API Gateway would. */
  async send(event: APIGatewayProxyEvent): Promise<ApiResponse> {
    const handler = event.httpMethod === 'GET' ? this.read : this.decide;
    const result = await handler(event, lambdaContext());
    let body: unknown;
    try {
      body = JSON.parse(result.body);
    } catch {
      body = undefined;
    }
    return { status: result.statusCode, headers: result.headers ?? {}, text: result.body, body };
  }

  get(path: string, options: ApiEventOptions = {}) {
    return this.send(apiEvent('GET', path, options));
  }

  post(path: string, options: ApiEventOptions = {}) {
    return this.send(apiEvent('POST', path, options));
  }

  /**
   * A pending action, created a minute before `now` unless told, in an investigation whose
   * decision loop waits on its token.
   */
  async pending(overrides: ActionOverrides = {}): Promise<Action> {
    const action = makeAction({ createdAt: plus(this.now, -60).toISOString(), ...overrides });
    await this.stores.investigations.createOnce({
      investigation: makeInvestigation({
        id: action.investigationId,
        alertId: action.alertId,
        createdAt: action.createdAt,
      }),
      evidence: [],
    });
    await this.stores.investigations.registerWait(
      action.investigationId,
      waitTokenFor(action.investigationId),
    );
    await this.stores.actions.putPending(action);
    return action;
  }

  async pendingEmail(overrides: ActionOverrides = {}): Promise<Action> {
    return this.pending(
      emailAction({ createdAt: plus(this.now, -60).toISOString(), ...overrides }),
    );
  }

  /** An approved action whose remediation ran to completion. */
  async completed(overrides: ActionOverrides = {}): Promise<Action> {
    const action = await this.pending(overrides);
    await this.stores.actions.decide(
      action.id,
      { verdict: 'approve', by: 'seed' },
      this.now,
      decisionAudit(action.id, { verdict: 'approve', by: 'seed' }, this.now),
    );
    await this.stores.actions.callbackDelivered(action.id);
    await this.stores.actions.transition(action.id, 'Running', this.now);
    return this.stores.actions.transition(action.id, 'Completed', this.now, {
      result: { outcome: 'quarantined', at: this.now.toISOString() },
    });
  }

  async investigation(
    alertId: string,
    overrides: Partial<Investigation> = {},
  ): Promise<Investigation> {
    const investigation = makeInvestigation({
      alertId,
      createdAt: plus(this.now, -120).toISOString(),
      ...overrides,
    });
    await this.stores.investigations.createOnce({
      investigation,
      evidence: [{ kind: 'file', id: 'f-1', verdict: 'malicious', displayName: 'invoice.exe' }],
    });
    return investigation;
  }

  /** The scheduled reconciler over the same table, workflow and clock. */
  reconciler() {
    return createReconcileHandler({
      actions: this.stores.actions,
      investigations: this.stores.investigations,
      audit: this.stores.audit,
      workflow: this.workflow,
      clock: () => this.now,
      callbackRetry: { attempts: 2, baseDelayMs: 1 },
    });
  }

  /** The SendTaskSuccess calls that tried to resume a wait, with their task tokens. */
  resumes() {
    return this.sfn.commandCalls(SendTaskSuccessCommand);
  }

  /** The tokens of the resumes sent for one investigation. */
  resumesOf(investigationId: string) {
    return this.resumes().filter(
      (call) => call.args[0].input.taskToken === waitTokenFor(investigationId),
    );
  }
}

export const as = (user: string, ...roles: string[]) => claimsFor(user, roles);
export const ADMIN = as('admin@example.com', 'GlobalAdmin');
export const READER = as('reader@example.com', 'SecurityReader');
export const SEC_ADMIN = as('secadmin@example.com', 'SecurityAdmin');
export const PURGER = as('purger@example.com', 'SecurityAdmin', 'SearchAndPurge');
export const ARA = as('responder@example.com', 'ActiveRemediationActions');
