// What the workflow's task handlers depend on. Handlers take these ports, so tests hand them
// fakes or stores over dynalite; `defaultWorkflowPorts` wires the real ones once per cold start.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../adapters/dynamodb/client.js';
import {
  type ActionStore,
  type AuditLog,
  createStores,
  type DedupStore,
  type InvestigationStore,
} from '../adapters/dynamodb/index.js';
import {
  createStepFunctionsClient,
  StepFunctionsWorkflow,
} from '../adapters/stepfunctions/workflow-gateway.js';
import { type Config, loadConfig } from '../config.js';
import type { AutomationLevel } from '../core/automation.js';
import type { Category } from '../core/model.js';
import { type Clock, type ConnectorRegistry, systemClock, type Workflow } from '../core/ports.js';

export interface WorkflowSettings {
  /** How long an action waits for a decision (the state machine's wait uses the same value). */
  pendingActionTtlSeconds: number;
  automation: Record<Category, AutomationLevel>;
}

export interface WorkflowPorts {
  actions: Pick<
    ActionStore,
    'get' | 'registerPending' | 'putDecided' | 'transition' | 'callbackDelivered'
  >;
  investigations: Pick<InvestigationStore, 'createOnce' | 'get' | 'update'>;
  dedup: Pick<DedupStore, 'claim'>;
  audit: Pick<AuditLog, 'append'>;
  connectors: ConnectorRegistry;
  /** Re-delivers a decision that was made before the wait was (re)registered. */
  workflow: Workflow;
  clock: Clock;
  settings: WorkflowSettings;
}

export interface WorkflowPortOverrides {
  doc?: DynamoDBDocumentClient;
  workflow?: Workflow;
  connectors?: ConnectorRegistry;
  clock?: Clock;
}

/** Every port but the connectors: only Remediate carries them (and so bundles them). */
export type SharedWorkflowPorts = Omit<WorkflowPorts, 'connectors'>;

export function createWorkflowPorts(
  config: Config,
  overrides: WorkflowPortOverrides & { connectors: ConnectorRegistry },
): WorkflowPorts {
  return { ...createSharedWorkflowPorts(config, overrides), connectors: overrides.connectors };
}

function createSharedWorkflowPorts(
  config: Config,
  overrides: WorkflowPortOverrides = {},
): SharedWorkflowPorts {
  const doc = overrides.doc ?? createDocumentClient(config);
  const clock = overrides.clock ?? systemClock;
  const stores = createStores(config, doc);
  return {
    actions: stores.actions,
    investigations: stores.investigations,
    dedup: stores.dedup,
    audit: stores.audit,
    workflow: overrides.workflow ?? new StepFunctionsWorkflow(createStepFunctionsClient(config)),
    clock,
    settings: {
      pendingActionTtlSeconds: config.pendingActionTtlSeconds,
      automation: config.automation,
    },
  };
}

let cold: SharedWorkflowPorts | undefined;

/** The ports of a Lambda: config read and clients created once per cold start. */
export function defaultWorkflowPorts(): SharedWorkflowPorts {
  cold ??= createSharedWorkflowPorts(loadConfig());
  return cold;
}
