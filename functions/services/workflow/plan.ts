// Plan: the actions the evidence calls for, each marked automatic or waiting for an operator.

import type { Entity, Severity } from '../../core/model.js';
import { type Proposal, planActions } from '../../core/planning.js';
import { countMetric, logger } from '../../observability.js';
import type { WorkflowPorts } from './ports.js';

interface PlanEvent {
  investigationId: string;
  alertId: string;
  severity: Severity;
  evidence: Entity[];
  threatsFound: boolean;
}

interface PlanResult {
  investigationId: string;
  threatsFound: boolean;
  /** The Map state's items. */
  actions: Proposal[];
  notProposed: number;
}

export function createPlanHandler(ports: Pick<WorkflowPorts, 'clock' | 'settings'>) {
  return async (event: PlanEvent): Promise<PlanResult> => {
    const plan = planActions(event.evidence, {
      investigationId: event.investigationId,
      alertId: event.alertId,
      severity: event.severity,
      automation: ports.settings.automation,
      pendingActionTtlSeconds: ports.settings.pendingActionTtlSeconds,
      now: ports.clock(),
    });
    logger.info('Investigation planned', {
      investigationId: event.investigationId,
      actions: plan.proposals.length,
      automatic: plan.proposals.filter((p) => p.approval === 'automatic').length,
      notProposed: plan.notProposed,
    });
    for (const { action } of plan.proposals) countMetric('ActionsProposed', 1, action.category);
    return {
      investigationId: event.investigationId,
      threatsFound: event.threatsFound,
      actions: plan.proposals,
      notProposed: plan.notProposed,
    };
  };
}
