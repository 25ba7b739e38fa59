// RecordAutomatedApproval: an action the automation policy approves is stored as decided by
// "Automation", audited once, and goes straight on to Remediate.
import { AUTOMATION_ACTOR } from '../core/automation.js';
import type { Action } from '../core/model.js';
import { observe } from '../observability.js';
import { defaultWorkflowPorts, type WorkflowPorts } from './ports.js';
import { type ActionStep, recordChange, refreshInvestigation } from './progress.js';

export interface ActionEvent {
  investigationId: string;
  action: Action;
}

export function createRecordAutomatedApprovalHandler(
  ports: Pick<WorkflowPorts, 'actions' | 'audit' | 'investigations' | 'clock'>,
) {
  return async (event: ActionEvent): Promise<ActionStep> => {
    const existing = await ports.actions.get(event.action.id);
    if (existing) return { actionId: existing.id, status: existing.status };
    const stored = await ports.actions.putDecided(event.action);
    await recordChange(ports, {
      at: new Date(stored.decision?.at ?? stored.createdAt),
      actor: AUTOMATION_ACTOR,
      event: 'ActionApproved',
      action: stored,
      before: null,
    });
    await refreshInvestigation(ports, event.investigationId);
    return { actionId: stored.id, status: stored.status };
  };
}

export const handler = observe(createRecordAutomatedApprovalHandler(defaultWorkflowPorts()));
