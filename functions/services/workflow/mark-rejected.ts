// MarkRejected: the wait ended with ActionRejected. The API recorded the decision (and audited
// it) before sending the failure; a rejection sent without one is recorded here as the System's.
import { SYSTEM_ACTOR } from '../../core/action-changes.js';
import { TEXT_LIMITS } from '../../core/model.js';
import { clip } from '../../core/text.js';
import { type ActionStep, type SettlePorts, settleAction } from './settle.js';
import { reasonOf, type TaskFailure } from './task-failure.js';

interface MarkRejectedEvent {
  investigationId: string;
  actionId: string;
  error?: TaskFailure;
}

export function createMarkRejectedHandler(ports: SettlePorts) {
  return (event: MarkRejectedEvent): Promise<ActionStep> =>
    settleAction(ports, event, {
      unknown: 'Rejection for an unknown action',
      from: ['Pending'],
      to: 'Rejected',
      event: 'ActionRejected',
      details: (at) => {
        const comment = clip(reasonOf(event.error), TEXT_LIMITS.comment);
        const decision = { by: SYSTEM_ACTOR, at: at.toISOString(), automated: false, comment };
        return { comment, patch: { decision } };
      },
    });
}
