// The investigation workflow on one machine, for tests: the real ASL on the local engine, the
// real task handlers over dynalite, ingest in front, and an operator who decides as the API
// does (ActionStore.decide, then SendTaskSuccess / SendTaskFailure(ActionRejected)).
import { defaultApprovalPolicies } from '../../functions/adapters/cedar/index.js';
import { createConnectorRegistry } from '../../functions/adapters/connectors/index.js';
import { createStores, type Stores } from '../../functions/adapters/dynamodb/index.js';
import type { Config } from '../../functions/config.js';
import type { AutomationLevel } from '../../functions/core/automation.js';
import { investigationIdFor } from '../../functions/core/ids.js';
import type { Action, AlertDetail, Category } from '../../functions/core/model.js';
import type {
  Connector,
  ConnectorOutcome,
  ConnectorRegistry,
  InvestigationStarter,
  RemediationProgress,
  Workflow,
} from '../../functions/core/ports.js';
import type { ConnectorRetry } from '../../functions/core/remediation.js';
import { enabledSources } from '../../functions/core/sources/index.js';
import type { SourceEvent } from '../../functions/core/sources/source.js';
import {
  ConnectorPermanentError,
  ConnectorTransientError,
} from '../../functions/core/workflow-errors.js';
import { SERVICE_FUNCTIONS, type TaskFunctionId } from '../../functions/entries.js';
import { decideMany } from '../../functions/services/bulk.js';
import { type DecisionPorts, decideAction } from '../../functions/services/decide.js';
import {
  type IngestPorts,
  type IngestResult,
  ingestAlert,
  ingestEvent,
} from '../../functions/services/ingest.js';
import { type UndoOutcome, type UndoPorts, undoAction } from '../../functions/services/undo.js';
import {
  type ExecutionRecord,
  engineWorkflow,
  type LocalStepFunctions,
  startInvestigationEngine,
} from '../../infra/local/engine/index.js';
import {
  ExecutionStatusEvents,
  type ExecutionStatusHandler,
} from '../../infra/local/execution-status-events.js';
import { wireEntry, wireTaskHandlers } from '../../infra/local/functions.js';
import { alertEvent } from '../fixtures/alerts.js';
import type { LocalTable } from './dynalite.js';
import { eventually } from './eventually.js';
import { appendOnOutboxWrites } from './outbox.js';

/**
 * How the connector behaves per target id: fail transiently n times, fail for good, or run on
 * the target and finish later (complete, or fail with a reason) or never.
 */
export type ConnectorScript = Record<
  string,
  {
    transient?: number;
    permanent?: string;
    /** Accepted, then Completed this many seconds after submission. */
    completesAfterSeconds?: number;
    /** Accepted, then Failed with `reason` this many seconds after submission. */
    failsAfterSeconds?: { seconds: number; reason: string };
    /** Accepted, and never finishes. */
    neverFinishes?: boolean;
    /** Its undo fails transiently this many times first. */
    undoTransient?: number;
    /** Its undo is refused with this reason. */
    undoRefused?: string;
    /** Its undo takes this long. */
    undoTakesSeconds?: number;
  }
>;

/** Wraps the built-in connector with scripted behaviour, counting calls per target. */
export class ScriptedConnector implements Connector {
  readonly name = 'scripted';
  /** submit and status calls per target id (retries included). */
  readonly calls = new Map<string, number>();
  private readonly submittedAt = new Map<string, number>();

  constructor(
    private readonly inner: ConnectorRegistry,
    private readonly script: ConnectorScript,
    readonly timeoutSeconds = 60,
  ) {}

  private count(action: Action): number {
    const call = (this.calls.get(action.target.id) ?? 0) + 1;
    this.calls.set(action.target.id, call);
    return call;
  }

  async submit(action: Action): Promise<RemediationProgress> {
    const call = this.count(action);
    const rule = this.script[action.target.id];
    if (rule?.permanent) throw new ConnectorPermanentError(rule.permanent);
    if (rule?.transient && call <= rule.transient) {
      throw new ConnectorTransientError(`${action.target.displayName} unreachable (call ${call})`);
    }
    if (rule?.completesAfterSeconds || rule?.failsAfterSeconds || rule?.neverFinishes) {
      if (!this.submittedAt.has(action.id)) this.submittedAt.set(action.id, Date.now());
      return { state: 'running', ref: `job-${action.target.id}` };
    }
    return this.inner.connectorFor(action).submit(action);
  }

  async status(action: Action, ref?: string): Promise<RemediationProgress> {
    this.count(action);
    const rule = this.script[action.target.id];
    // Unscripted targets run on the configured connector, long-running ones included.
    if (!rule) return this.inner.connectorFor(action).status(action, ref);
    const since = (Date.now() - (this.submittedAt.get(action.id) ?? Date.now())) / 1000;
    if (ref !== `job-${action.target.id}`) throw new ConnectorPermanentError(`Unknown job ${ref}`);
    if (rule?.completesAfterSeconds !== undefined && since >= rule.completesAfterSeconds) {
      return { state: 'completed', outcome: 'JobCompleted', detail: `${ref} finished` };
    }
    if (rule?.failsAfterSeconds && since >= rule.failsAfterSeconds.seconds) {
      return { state: 'failed', reason: rule.failsAfterSeconds.reason };
    }
    return { state: 'running', ref };
  }

  /** undo calls per target id (retries included). */
  readonly undoCalls = new Map<string, number>();

  async undo(action: Action): Promise<ConnectorOutcome> {
    const call = (this.undoCalls.get(action.target.id) ?? 0) + 1;
    this.undoCalls.set(action.target.id, call);
    const rule = this.script[action.target.id];
    if (rule?.undoTakesSeconds) {
      await new Promise((resolve) => setTimeout(resolve, (rule.undoTakesSeconds ?? 0) * 1000));
    }
    if (rule?.undoRefused) throw new ConnectorPermanentError(rule.undoRefused);
    if (rule?.undoTransient && call <= rule.undoTransient) {
      throw new ConnectorTransientError(`${action.target.displayName} unreachable (undo ${call})`);
    }
    return this.inner.connectorFor(action).undo(action);
  }
}

export interface HarnessOptions {
  automation?: Partial<Record<Category, AutomationLevel>>;
  pendingActionTtlSeconds?: number;
  connector?: ConnectorScript;
  /** How long the scripted connector's remediations may run before they time out. */
  connectorTimeoutSeconds?: number;
  /** Tasks whose function throws this message: a step that breaks. */
  brokenTasks?: Partial<Record<TaskFunctionId, string>>;
  /** Sends executions that fail, time out or are stopped to executionStatus, as the runtime does. */
  executionStatusEvents?: boolean;
  /**
   * The audit appender's batching window, as the embedded runtime's (0, the default: it runs
   * after each write that owes a record, before the write returns).
   */
  appenderWindowMs?: number;
}

export interface InvestigationHarness {
  config: Config;
  stores: Stores;
  engine: LocalStepFunctions;
  stateMachineArn: string;
  connector: ScriptedConnector;
  ingest(alert: AlertDetail, eventId?: string): Promise<IngestResult>;
  /** Any source's EventBridge event, as the alert rules deliver it. */
  ingestEvent(event: SourceEvent): Promise<IngestResult[]>;
  /** The action proposed for an entity of the alert (by the entity's id, or cluster id). */
  actionOf(alertId: string, targetId: string): Promise<Action | undefined>;
  waitForAction(
    alertId: string,
    targetId: string,
    until: (action: Action) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<Action>;
  /** Waits for the action to be Pending, then approves or rejects it through the decision service. */
  decide(alertId: string, targetId: string, verdict: 'approve' | 'reject'): Promise<Action>;
  /** One decision on one action, by id, through the decision service. */
  decideAction(actionId: string, verdict: 'approve' | 'reject'): Promise<Action>;
  /** An undo as the API asks for it, waiting up to `waitSeconds` (default 5) for its outcome. */
  undo(actionId: string, waitSeconds?: number): Promise<UndoOutcome>;
  /** One bulk decision through the decision service. */
  decideMany(actionIds: string[], verdict: 'approve' | 'reject'): ReturnType<typeof decideMany>;
  finished(alertId: string): Promise<ExecutionRecord>;
  /** Until the audit appender is idle (a run its window holds back starts at once). */
  appenderIdle(): Promise<void>;
  close(): Promise<void>;
}

export const OPERATOR = 'analyst@contoso.example';

/** Transient connector failures are retried after 1 s, not 2, 4, 8 … */
const HARNESS_CONNECTOR_RETRY: ConnectorRetry = {
  intervalSeconds: 1,
  maxAttempts: 5,
  backoffRate: 1,
};

export async function startInvestigationHarness(
  table: LocalTable,
  options: HarnessOptions = {},
): Promise<InvestigationHarness> {
  const config: Config = {
    ...table.config,
    pendingActionTtlSeconds:
      options.pendingActionTtlSeconds ?? table.config.pendingActionTtlSeconds,
    automation: { ...table.config.automation, ...options.automation },
  };
  const stores = createStores(config, table.doc);
  const appender = appendOnOutboxWrites(
    table.doc,
    { actions: stores.actions, audit: stores.audit, clock: () => new Date() },
    { windowMs: options.appenderWindowMs },
  );
  const connector = new ScriptedConnector(
    createConnectorRegistry(config, { doc: table.doc }),
    options.connector ?? {},
    options.connectorTimeoutSeconds,
  );
  // The engine needs the handlers and the handlers (AwaitDecisions) need the engine.
  let workflow: ReturnType<typeof engineWorkflow> | undefined;
  const lateWorkflow: Workflow & InvestigationStarter = {
    resume: (token, output) => (workflow as Workflow).resume(token, output),
    startInvestigation: (arn, name, input) =>
      (workflow as InvestigationStarter).startInvestigation(arn, name, input),
  };
  const handlers = await wireTaskHandlers(config, {
    doc: table.doc,
    workflow: lateWorkflow,
    connectors: { connectorFor: () => connector },
    connectorRetry: HARNESS_CONNECTOR_RETRY,
  });
  for (const [id, message] of Object.entries(options.brokenTasks ?? {})) {
    handlers[id as TaskFunctionId] = () => {
      throw new Error(message);
    };
  }
  let statusEvents: ExecutionStatusEvents | undefined;
  const { engine, stateMachineArn } = await startInvestigationEngine({
    handlers,
    onExecutionChange: (record) => statusEvents?.onExecutionChange(record),
  });
  workflow = engineWorkflow(engine);
  const starter = workflow;
  if (options.executionStatusEvents) {
    statusEvents = new ExecutionStatusEvents({
      stateMachineArn,
      handler: await wireEntry<ExecutionStatusHandler>(
        SERVICE_FUNCTIONS.executionStatus,
        { ...config, stateMachineArn },
        { doc: table.doc },
      ),
    });
  }

  const ingestPorts: IngestPorts = {
    investigations: stores.investigations,
    rejectedAlerts: stores.rejectedAlerts,
    starter,
    workflow: lateWorkflow,
    stateMachineArn,
    clock: () => new Date(),
    sources: enabledSources(config.sources),
  };
  const decisionPorts: DecisionPorts = {
    actions: stores.actions,
    investigations: stores.investigations,
    workflow: lateWorkflow,
    policies: defaultApprovalPolicies(),
    clock: () => new Date(),
    callbackRetry: { attempts: 2, baseDelayMs: 1 },
  };
  const undoPorts: UndoPorts = {
    ...decisionPorts,
    actions: stores.actions,
    investigations: stores.investigations,
    starter: lateWorkflow,
    stateMachineArn,
    undoWait: { seconds: 5, pollMs: 50 },
  };
  const actionOf = async (alertId: string, targetId: string) => {
    const { actions } = await stores.investigations.get(investigationIdFor(alertId));
    return actions.find((a) => a.target.id === targetId);
  };
  const waitForAction = (
    alertId: string,
    targetId: string,
    until: (action: Action) => boolean,
    what: string,
    timeoutMs?: number,
  ) =>
    eventually(
      async () => {
        const action = await actionOf(alertId, targetId).catch(() => undefined);
        return action && until(action) ? action : undefined;
      },
      { what: `${targetId} of ${alertId} to be ${what}`, timeoutMs },
    );

  return {
    config,
    stores,
    engine,
    stateMachineArn,
    connector,
    ingest: (alert, eventId) => ingestAlert(alertEvent(alert, eventId), ingestPorts),
    ingestEvent: (event) => ingestEvent(event, ingestPorts),
    actionOf,
    waitForAction,
    async decide(alertId, targetId, verdict) {
      const pending = await waitForAction(
        alertId,
        targetId,
        (a) => a.status === 'Pending',
        'Pending',
      );
      const outcome = await decideAction(
        decisionPorts,
        { user: OPERATOR, roles: ['GlobalAdmin'] },
        pending.id,
        verdict,
        {},
      );
      return outcome.action;
    },
    async decideAction(actionId, verdict) {
      const caller = { user: OPERATOR, roles: ['GlobalAdmin' as const] };
      return (await decideAction(decisionPorts, caller, actionId, verdict, {})).action;
    },
    undo(actionId, waitSeconds) {
      const caller = { user: OPERATOR, roles: ['GlobalAdmin' as const] };
      const ports =
        waitSeconds === undefined
          ? undoPorts
          : { ...undoPorts, undoWait: { seconds: waitSeconds, pollMs: 50 } };
      return undoAction(ports, caller, actionId, { comment: 'business app' });
    },
    async decideMany(actionIds, verdict) {
      return decideMany(
        decisionPorts,
        { user: OPERATOR, roles: ['GlobalAdmin'] },
        { actionIds, decision: verdict },
      );
    },
    async finished(alertId) {
      const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${investigationIdFor(alertId)}`;
      return engine.waitForExecution(executionArn);
    },
    appenderIdle: () => appender.idle(),
    async close() {
      await statusEvents?.close();
      await engine.shutdown();
      await appender.idle();
    },
  };
}
