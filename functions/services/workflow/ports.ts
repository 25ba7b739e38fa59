// What the workflow's task handlers depend on. Handlers take these ports, so tests hand them
// fakes or stores over dynalite; functions/wiring.ts builds the real ones.

import type { PolicyResource, QuorumRule } from '../../core/approval-policies.js';
import type { AssetGroup } from '../../core/asset-groups.js';
import type { AutomationLevel } from '../../core/automation.js';
import type { ActionType, Category } from '../../core/model.js';
import type {
  ActionStore,
  Clock,
  ConnectorRegistry,
  DedupStore,
  InvestigationStore,
  Workflow,
} from '../../core/ports.js';
import type { ConnectorRetry } from '../../core/remediation.js';

export interface WorkflowSettings {
  /** How long an action waits for a decision. */
  pendingActionTtlSeconds: number;
  automation: Record<Category, AutomationLevel>;
  assetGroups: readonly AssetGroup[];
  approvalsRequired: Partial<Record<ActionType | Category, number>>;
  /** The approval policies' `quorum` rules; absent when the policy set has none. */
  quorumOf?: (resource: PolicyResource) => QuorumRule | undefined;
  /** Retries of a connector call that failed transiently. */
  connectorRetry: ConnectorRetry;
}

export interface WorkflowPorts {
  actions: Pick<
    ActionStore,
    'get' | 'putPending' | 'putDecided' | 'transition' | 'track' | 'trackingOf' | 'failUndo'
  >;
  investigations: Pick<
    InvestigationStore,
    'createOnce' | 'get' | 'update' | 'registerWait' | 'wakesOf'
  >;
  dedup: Pick<DedupStore, 'claim'>;
  connectors: ConnectorRegistry;
  /** Resumes the investigation's own wait when work is already due. */
  workflow: Workflow;
  clock: Clock;
  settings: WorkflowSettings;
}

/** Every port but the connectors: only Advance carries them (and so bundles them). */
export type SharedWorkflowPorts = Omit<WorkflowPorts, 'connectors'>;
