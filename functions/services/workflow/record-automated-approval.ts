// RecordAutomatedApproval: an action the automation policy approves is stored as decided by
// "Automation", audited once, and goes straight on to Remediate.
import { AUTOMATION_ACTOR } from '../../core/automation.js';
import type { Action } from '../../core/model.js';
import { recordChange } from '../audit-trail.js';
import { refreshInvestigation } from './progress.js';
import { type ActionStep, type SettlePorts, stepOf } from './settle.js';

interface ActionEvent {
  investigationId: string;
  action: Action;
}

export function createRecordAutomatedApprovalHandler(ports: SettlePorts) {
  return async (event: ActionEvent): Promise<ActionStep> => {
    const existing = await ports.actions.get(event.action.id);
    if (existing) return stepOf(existing);
    const stored = await ports.actions.putDecided(event.action);
    await recordChange(ports, {
      at: new Date(stored.decision?.at ?? stored.createdAt),
      actor: AUTOMATION_ACTOR,
      event: 'ActionApproved',
      action: stored,
      before: null,
    });
    await refreshInvestigation(ports, event.investigationId);
    return stepOf(stored);
  };
}
