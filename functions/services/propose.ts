// Manual actions: an operator proposes a remediation (`POST /actions`), which waits as a Pending
// action for the same approvals and audit as the workflow's own. It joins an investigation of its
// own, started as any other, or an existing one, woken while open and reopened once concluded.
import { randomUUID } from 'node:crypto';
import { auditRecordOf } from '../core/action-changes.js';
import { openInvestigation } from '../core/alert.js';
import { type ApprovalPolicies, policyResourceOf } from '../core/approval-policies.js';
import { type AssetGroup, assetGroupOf } from '../core/asset-groups.js';
import { manualEntryFor } from '../core/catalog.js';
import { ValidationError } from '../core/errors.js';
import { actionIdFor } from '../core/ids.js';
import type {
  Action,
  ActionType,
  Category,
  Entity,
  Investigation,
  Severity,
  Target,
} from '../core/model.js';
import { approvalsFor } from '../core/planning.js';
import type {
  ActionStore,
  Clock,
  InvestigationStarter,
  InvestigationStore,
  Workflow,
} from '../core/ports.js';
import { countMetric, logger } from '../observability.js';
import { assertAllowed } from './authorization.js';
import type { Caller } from './caller.js';
import type { InvestigationInput } from './ingest.js';
import { type RetryPolicy, wakeOrReopenInvestigation } from './wake.js';

export interface ProposePorts {
  actions: Pick<ActionStore, 'putPending'>;
  investigations: Pick<InvestigationStore, 'createOnce' | 'get' | 'markStarted' | 'wakeOrReopen'>;
  workflow: Workflow;
  starter: InvestigationStarter;
  stateMachineArn: string;
  clock: Clock;
  policies: ApprovalPolicies;
  callbackRetry?: RetryPolicy;
  /** The settings the workflow's plan uses too; absent: a week's wait, no groups, one approval. */
  proposals?: ProposalSettings;
}

export interface ProposalSettings {
  pendingActionTtlSeconds: number;
  assetGroups: readonly AssetGroup[];
  approvalsRequired: Partial<Record<ActionType | Category, number>>;
}

const DEFAULT_PROPOSAL_SETTINGS: ProposalSettings = {
  pendingActionTtlSeconds: 604_800,
  assetGroups: [],
  approvalsRequired: {},
};

export interface Proposal {
  type: ActionType;
  target: Target;
  /** For an investigation of its own (default `medium`); an existing one gives its own. */
  severity?: Severity;
  comment?: string;
  investigationId?: string;
}

/** Who proposes by hand is shown as the investigation's detection source. */
const MANUAL_SOURCE = 'Manual';

/** Records the proposed action, Pending, and tells its investigation's workflow. */
export async function proposeAction(
  ports: ProposePorts,
  caller: Caller,
  proposal: Proposal,
): Promise<Action> {
  const entry = manualEntryFor(proposal.type, proposal.target.kind);
  if (!entry) {
    throw new ValidationError(`${proposal.type} does not act on a ${proposal.target.kind}`, {
      fields: { 'target.kind': `not a target of ${proposal.type}` },
    });
  }
  const settings = ports.proposals ?? DEFAULT_PROPOSAL_SETTINGS;
  const now = ports.clock();
  const at = now.toISOString();
  const existing = proposal.investigationId
    ? (await ports.investigations.get(proposal.investigationId)).investigation
    : undefined;
  const record = existing
    ? undefined
    : openInvestigation(
        {
          alertId: `manual-${randomUUID()}`,
          title: `${proposal.type} of ${proposal.target.displayName}, proposed by ${caller.user}`,
          severity: proposal.severity ?? 'medium',
          detectionSource: MANUAL_SOURCE,
          detectedAt: at,
          entities: [],
        },
        now,
      );
  const investigation = existing ?? (record as { investigation: Investigation }).investigation;
  const group = assetGroupOf(settings.assetGroups, {
    ...proposal.target,
    verdict: 'unknown',
  } as Entity);
  const action: Action = {
    id: actionIdFor(investigation.id, `manual|${randomUUID()}`),
    investigationId: investigation.id,
    alertId: investigation.alertIds[0] as string,
    type: entry.type,
    category: entry.category,
    target: proposal.target,
    severity: investigation.severity,
    source: 'Manual',
    status: 'Pending',
    undoable: entry.undoable,
    ...(group && { assetGroup: group.name }),
    alertTitle: investigation.title,
    proposedBy: caller.user,
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date(now.getTime() + settings.pendingActionTtlSeconds * 1000).toISOString(),
  };
  const approvals = approvalsFor(
    { ...settings, quorumOf: (resource) => ports.policies.quorum(resource) },
    policyResourceOf(action),
    group,
  );
  if (approvals) action.approvals = approvals;
  const policy = assertAllowed(ports.policies, caller, 'propose', action);
  if (record) await ports.investigations.createOnce(record);
  // The proposal and its audit record are one write (the outbox); the appender chains it.
  const audit = auditRecordOf({
    at: now,
    actor: caller.user,
    event: 'ActionProposed',
    action,
    before: null,
    comment: proposal.comment,
    policy,
  });
  await ports.actions.putPending(action, audit);
  countMetric('ActionsProposed', 1, action.category);
  logger.info('Action proposed by hand', {
    actionId: action.id,
    investigationId: investigation.id,
    by: caller.user,
  });
  await notifyWorkflow(ports, investigation.id, existing === undefined);
  return action;
}

/** A new investigation is started; an existing one woken while open, restarted once concluded. */
async function notifyWorkflow(
  ports: ProposePorts,
  investigationId: string,
  created: boolean,
): Promise<void> {
  const input: InvestigationInput = { investigationId };
  if (created) {
    await ports.starter.startInvestigation(ports.stateMachineArn, investigationId, input);
    await ports.investigations.markStarted(investigationId, ports.clock());
    return;
  }
  if ((await wakeOrReopenInvestigation(ports, investigationId)) === 'failed') {
    logger.warn('Action proposed; its workflow could not be woken now', { investigationId });
  }
}
