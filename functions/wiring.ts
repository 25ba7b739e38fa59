// The composition root: real adapters built from the configuration. Only entry files (and the
// local runtime, which calls their `wire`) use it; use cases see nothing but their ports.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import {
  approvalPoliciesOf,
  lazyApprovalPolicies,
  mayHoldQuorumRules,
} from './adapters/cedar/index.js';
import { createDocumentClient } from './adapters/dynamodb/client.js';
import { createStores, type Stores } from './adapters/dynamodb/index.js';
import type { MicrosoftApi } from './adapters/microsoft/index.js';
import {
  createStepFunctionsClient,
  StepFunctionsWorkflow,
} from './adapters/stepfunctions/workflow-gateway.js';
import { type Config, loadConfig } from './config.js';
import type { ApprovalPolicies } from './core/approval-policies.js';
import type { AuditExport, AuditSigner } from './core/audit-seal-ports.js';
import {
  type Clock,
  type ConnectorRegistry,
  type InvestigationStarter,
  systemClock,
  type Workflow,
} from './core/ports.js';
import { type ConnectorRetry, DEFAULT_CONNECTOR_RETRY } from './core/remediation.js';
import { observe } from './observability.js';
import type { EventPublisher } from './services/defender-alerts.js';
import type { SharedWorkflowPorts, WorkflowSettings } from './services/workflow/ports.js';

/** What the local runtime and the tests share between functions instead of building anew. */
export interface Overrides {
  doc?: DynamoDBDocumentClient;
  workflow?: Workflow & InvestigationStarter;
  connectors?: ConnectorRegistry;
  clock?: Clock;
  /** Shorter connector retries (tests); the default otherwise. */
  connectorRetry?: ConnectorRetry;
  /** Where the Defender alert poller publishes (the local bus); EventBridge otherwise. */
  eventPublisher?: EventPublisher;
  /** The Microsoft client (tests shorten its waits); built from config.defender otherwise. */
  microsoftApi?: MicrosoftApi;
  policies?: ApprovalPolicies;
  /** The local runtime's Ed25519 key (KMS in AWS). */
  auditSigner?: AuditSigner;
  auditExport?: AuditExport;
}

/**
 * The approval policies of APPROVAL_POLICY_FILE, else the defaults, loaded on first use: the API
 * functions' cold starts do not pay for the engine (CDK's synth and the local runtime's start
 * check the file).
 */
export function approvalPoliciesFor(config: Config, overrides: Overrides = {}): ApprovalPolicies {
  return (
    overrides.policies ?? lazyApprovalPolicies(() => approvalPoliciesOf(config.approvalPolicyFile))
  );
}

/** The policies' `quorum` rules for the workflow's plan, when the policy set may have any. */
function quorumRulesFor(config: Config, overrides: Overrides): Pick<WorkflowSettings, 'quorumOf'> {
  if (!overrides.policies && !mayHoldQuorumRules(config.approvalPolicyFile)) return {};
  const policies = approvalPoliciesFor(config, overrides);
  return { quorumOf: (resource) => policies.quorum(resource) };
}

/** The adapters every function may use, built once per function. */
interface Adapters {
  doc: DynamoDBDocumentClient;
  stores: Stores;
  workflow: Workflow & InvestigationStarter;
  clock: Clock;
}

export function adaptersFor(config: Config, overrides: Overrides = {}): Adapters {
  const doc = overrides.doc ?? createDocumentClient(config);
  return {
    doc,
    stores: createStores(config, doc),
    workflow: overrides.workflow ?? new StepFunctionsWorkflow(createStepFunctionsClient(config)),
    clock: overrides.clock ?? systemClock,
  };
}

/** The ports of the workflow's tasks (all but the connectors: only Advance carries them). */
export function workflowPorts(config: Config, overrides: Overrides = {}): SharedWorkflowPorts {
  const { stores, workflow, clock } = adaptersFor(config, overrides);
  return {
    actions: stores.actions,
    investigations: stores.investigations,
    dedup: stores.dedup,
    workflow,
    clock,
    settings: {
      pendingActionTtlSeconds: config.pendingActionTtlSeconds,
      automation: config.automation,
      assetGroups: config.assetGroups,
      approvalsRequired: config.approvalsRequired,
      ...quorumRulesFor(config, overrides),
      connectorRetry: overrides.connectorRetry ?? DEFAULT_CONNECTOR_RETRY,
    },
  };
}

/** Builds a function's handler from its configuration. */
type Wire<H> = (config: Config, overrides?: Overrides) => H;

/**
 * A Lambda entry's `handler`, observed (observability.ts `observe`). In Lambda it is wired at cold
 * start from the environment, so a missing setting fails there; elsewhere (the local runtime,
 * tests) the module only exports it, and `wire` is called with an explicit configuration instead.
 */
export function lambdaHandler<E, R>(
  wire: Wire<(event: E, context: Context) => Promise<R>>,
): (event: E, context: Context) => Promise<R> {
  const wireFromEnvironment = () => observe(wire(loadConfig()));
  let wired = process.env.AWS_LAMBDA_FUNCTION_NAME ? wireFromEnvironment() : undefined;
  return (event, context) => {
    wired ??= wireFromEnvironment();
    return wired(event, context);
  };
}
