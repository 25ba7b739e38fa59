// Investigate: the first pass of an investigation. Its evidence is analyzed once (verdicts, e-mail
// clusters) and every action it calls for is recorded at once, Pending or approved by policy, so an
// operator sees them all, whatever their number. Reads what it needs from the table (the execution
// carries only the investigation id) and is safe to replay: what exists is kept.

import { auditRecordOf } from '../../core/action-changes.js';
import { analyzeAlert } from '../../core/analysis.js';
import { AUTOMATION_ACTOR } from '../../core/automation.js';
import { type LoopState, loopStateOf } from '../../core/decision-loop.js';
import type { Action, AlertDetail, Entity } from '../../core/model.js';
import { type Proposal, planActions } from '../../core/planning.js';
import type { InvestigationRecord } from '../../core/ports.js';
import { countMetric, logger } from '../../observability.js';
import { forEachLimited } from '../limited.js';
import type { WorkflowPorts } from './ports.js';
import { concludeOrRefresh } from './progress.js';

interface InvestigateEvent {
  investigationId: string;
}

/** Actions written at once: each is one conditional put (owing an audit record when automatic). */
const WRITE_CONCURRENCY = 8;

export type InvestigatePorts = Pick<
  WorkflowPorts,
  'actions' | 'investigations' | 'clock' | 'settings'
>;

/** The alert as ingest recorded it: the investigation's own fields and the entities. */
function recordedAlert(record: InvestigationRecord): AlertDetail {
  const { investigation, evidence } = record;
  return {
    alertId: investigation.alertIds[0] as string,
    title: investigation.title,
    severity: investigation.severity,
    detectionSource: investigation.detectionSource,
    detectedAt: investigation.createdAt,
    entities: evidence,
  };
}

/** Analyzes the evidence unless a previous run did: the analyzed evidence and its verdict. */
async function analyzedEvidence(
  ports: InvestigatePorts,
  record: InvestigationRecord,
): Promise<{ evidence: Entity[]; threatsFound: boolean }> {
  if (record.threatsFound !== undefined) {
    return { evidence: record.evidence, threatsFound: record.threatsFound };
  }
  const analysis = analyzeAlert(recordedAlert(record));
  await ports.investigations.update(record.investigation.id, {
    evidence: analysis.evidence,
    threatsFound: analysis.threatsFound,
  });
  return { evidence: analysis.evidence, threatsFound: analysis.threatsFound };
}

async function recordProposal(ports: InvestigatePorts, proposal: Proposal): Promise<void> {
  if (proposal.approval === 'operator') {
    await ports.actions.putPending(proposal.action);
    return;
  }
  const { action } = proposal;
  const audit = auditRecordOf({
    at: new Date(action.decision?.at ?? action.createdAt),
    actor: AUTOMATION_ACTOR,
    event: 'ActionApproved',
    action,
    before: null,
    policy: proposal.policy,
  });
  await ports.actions.putDecided(action, audit);
}

/**
 * Analyzes the investigation's evidence if it was not (a new investigation, or one whose alert was
 * updated) and records every action it calls for that is not recorded yet. Answers all of the
 * investigation's actions and whether its evidence holds threats.
 */
export async function planInvestigation(
  ports: InvestigatePorts,
  record: InvestigationRecord & { actions: Action[] },
): Promise<{ actions: Action[]; threatsFound: boolean }> {
  const { investigation } = record;
  const { evidence, threatsFound } = await analyzedEvidence(ports, record);
  const plan = planActions(evidence, {
    investigationId: investigation.id,
    alertId: investigation.alertIds[0] as string,
    alertTitle: investigation.title,
    severity: investigation.severity,
    automation: ports.settings.automation,
    assetGroups: ports.settings.assetGroups,
    approvalsRequired: ports.settings.approvalsRequired,
    ...(ports.settings.quorumOf && { quorumOf: ports.settings.quorumOf }),
    pendingActionTtlSeconds: ports.settings.pendingActionTtlSeconds,
    now: ports.clock(),
  });
  const recorded = new Set(record.actions.map((a) => a.id));
  const fresh = plan.proposals.filter((p) => !recorded.has(p.action.id));
  await forEachLimited(fresh, WRITE_CONCURRENCY, (proposal) => recordProposal(ports, proposal));
  for (const { action } of fresh) countMetric('ActionsProposed', 1, action.category);
  logger.info('Investigation planned', {
    investigationId: investigation.id,
    actions: plan.proposals.length,
    recordedNow: fresh.length,
    automatic: plan.proposals.filter((p) => p.approval === 'automatic').length,
    notProposed: plan.notProposed,
  });
  return { actions: [...record.actions, ...fresh.map((p) => p.action)], threatsFound };
}

export function createInvestigateHandler(ports: InvestigatePorts) {
  return async (event: InvestigateEvent): Promise<LoopState> => {
    const { investigationId } = event;
    // Read before the actions: a change after this read wakes the first wait at once.
    const wakesSeen = await ports.investigations.wakesOf(investigationId);
    const record = await ports.investigations.get(investigationId);
    const { actions, threatsFound } = await planInvestigation(ports, record);
    const now = ports.clock();
    const state = loopStateOf({ investigationId, wakesSeen, actions, tracking: new Map(), now });
    return concludeOrRefresh(ports, state, {
      threatsFound,
      known: { investigation: record.investigation, actions },
    });
  };
}
