// The investigation workflow on one machine, for tests: the real ASL on the local engine, the
// real task handlers over dynalite, ingest in front, and an operator who decides as the API
// does (ActionStore.decide, then SendTaskSuccess / SendTaskFailure(ActionRejected)).
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
  Workflow,
} from '../../functions/core/ports.js';
import {
  ConnectorPermanentError,
  ConnectorTransientError,
  WORKFLOW_ERRORS,
} from '../../functions/core/workflow-errors.js';
import { SERVICE_FUNCTIONS, type TaskFunctionId } from '../../functions/entries.js';
import { type IngestResult, ingestAlert } from '../../functions/services/ingest.js';
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

/** How the connector behaves per target id: fail transiently n times, or fail for good. */
export type ConnectorScript = Record<string, { transient?: number; permanent?: string }>;

/** Wraps the built-in connector with scripted failures, counting calls per action. */
export class ScriptedConnector implements Connector {
  readonly name = 'scripted';
  readonly calls = new Map<string, number>();

  constructor(
    private readonly inner: ConnectorRegistry,
    private readonly script: ConnectorScript,
  ) {}

  async execute(action: Action): Promise<ConnectorOutcome> {
    const call = (this.calls.get(action.target.id) ?? 0) + 1;
    this.calls.set(action.target.id, call);
    const rule = this.script[action.target.id];
    if (rule?.permanent) throw new ConnectorPermanentError(rule.permanent);
    if (rule?.transient && call <= rule.transient) {
      throw new ConnectorTransientError(`${action.target.displayName} unreachable (call ${call})`);
    }
    return this.inner.connectorFor(action).execute(action);
  }

  undo(action: Action): Promise<ConnectorOutcome> {
    return this.inner.connectorFor(action).undo(action);
  }
}

export interface HarnessOptions {
  automation?: Partial<Record<Category, AutomationLevel>>;
  pendingActionTtlSeconds?: number;
  connector?: ConnectorScript;
  /** Tasks whose function throws this message: a step that breaks. */
  brokenTasks?: Partial<Record<TaskFunctionId, string>>;
  /** Sends executions that fail, time out or are stopped to executionStatus, as the runtime does. */
  executionStatusEvents?: boolean;
}

export interface InvestigationHarness {
  config: Config;
  stores: Stores;
  engine: LocalStepFunctions;
  stateMachineArn: string;
  connector: ScriptedConnector;
  ingest(alert: AlertDetail, eventId?: string): Promise<IngestResult>;
  /** The action proposed for an entity of the alert (by the entity's id, or cluster id). */
  actionOf(alertId: string, targetId: string): Promise<Action | undefined>;
  waitForAction(
    alertId: string,
    targetId: string,
    until: (action: Action) => boolean,
    what: string,
  ): Promise<Action>;
  /** Waits for the action to be Pending, then approves or rejects it as the API does. */
  decide(alertId: string, targetId: string, verdict: 'approve' | 'reject'): Promise<Action>;
  finished(alertId: string): Promise<ExecutionRecord>;
  close(): Promise<void>;
}

export const OPERATOR = 'analyst@contoso.example';

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
  const connector = new ScriptedConnector(
    createConnectorRegistry(config, { doc: table.doc }),
    options.connector ?? {},
  );
  // The engine needs the handlers and the handlers (AwaitDecision) need the engine.
  let workflow: ReturnType<typeof engineWorkflow> | undefined;
  const lateWorkflow: Workflow & InvestigationStarter = {
    approve: (token, output) => (workflow as Workflow).approve(token, output),
    reject: (token, reason) => (workflow as Workflow).reject(token, reason),
    startInvestigation: (arn, name, input) =>
      (workflow as InvestigationStarter).startInvestigation(arn, name, input),
  };
  const handlers = await wireTaskHandlers(config, {
    doc: table.doc,
    workflow: lateWorkflow,
    connectors: { connectorFor: () => connector },
  });
  for (const [id, message] of Object.entries(options.brokenTasks ?? {})) {
    handlers[id as TaskFunctionId] = () => {
      throw new Error(message);
    };
  }
  let statusEvents: ExecutionStatusEvents | undefined;
  const { engine, stateMachineArn } = await startInvestigationEngine({
    handlers,
    settings: { pendingActionTtlSeconds: config.pendingActionTtlSeconds },
    // Retries of the scripted connector wait milliseconds, not seconds.
    retryIntervalOverrides: { Remediate: 5 },
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

  const actionOf = async (alertId: string, targetId: string) => {
    const { actions } = await stores.investigations.get(investigationIdFor(alertId));
    return actions.find((a) => a.target.id === targetId);
  };
  const waitForAction = (
    alertId: string,
    targetId: string,
    until: (action: Action) => boolean,
    what: string,
  ) =>
    eventually(
      async () => {
        const action = await actionOf(alertId, targetId).catch(() => undefined);
        return action && until(action) ? action : undefined;
      },
      { what: `${targetId} of ${alertId} to be ${what}` },
    );

  return {
    config,
    stores,
    engine,
    stateMachineArn,
    connector,
    ingest: (alert, eventId) =>
      ingestAlert(alertEvent(alert, eventId), {
        investigations: stores.investigations,
        starter,
        stateMachineArn,
        clock: () => new Date(),
      }),
    actionOf,
    waitForAction,
    async decide(alertId, targetId, verdict) {
      const pending = await waitForAction(
        alertId,
        targetId,
        (a) => a.status === 'Pending',
        'Pending',
      );
      const { action, taskToken } = await stores.actions.decide(
        pending.id,
        { verdict, by: OPERATOR },
        new Date(),
      );
      if (!taskToken) throw new Error(`No task token for ${pending.id}`);
      if (verdict === 'approve') {
        await engine.sendTaskSuccess({
          taskToken,
          output: JSON.stringify({ actionId: action.id, decision: action.decision }),
        });
      } else {
        await engine.sendTaskFailure({
          taskToken,
          error: WORKFLOW_ERRORS.actionRejected,
          cause: `Rejected by ${OPERATOR}`,
        });
      }
      await stores.actions.callbackDelivered(action.id);
      return action;
    },
    async finished(alertId) {
      const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${investigationIdFor(alertId)}`;
      return engine.waitForExecution(executionArn);
    },
    async close() {
      await statusEvents?.close();
      await engine.shutdown();
    },
  };
}
