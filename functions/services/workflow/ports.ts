// What the workflow's task handlers depend on. Handlers take these ports, so tests hand them
// fakes or stores over dynalite; functions/wiring.ts builds the real ones.
import type { AutomationLevel } from '../../core/automation.js';
import type { Category } from '../../core/model.js';
import type {
  ActionStore,
  AuditLog,
  Clock,
  ConnectorRegistry,
  DedupStore,
  InvestigationStore,
  Workflow,
} from '../../core/ports.js';

interface WorkflowSettings {
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

/** Every port but the connectors: only Remediate carries them (and so bundles them). */
export type SharedWorkflowPorts = Omit<WorkflowPorts, 'connectors'>;
