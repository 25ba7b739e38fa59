// Remediate: an approved action claims its cluster or target for the dedup window, then its
// connector carries it out. A duplicate within the window becomes Skipped; a connector error is
// thrown by name for the state machine (ConnectorTransientError is retried with backoff, anything
// else ends in RecordRemediationFailure). Safe to replay: each step checks where the action is.

import { actionResultOf } from '../../core/action-changes.js';
import { dedupKeyOf } from '../../core/catalog.js';
import { NotFoundError } from '../../core/errors.js';
import type { Action, ActionResult } from '../../core/model.js';
import { countMetric, logger } from '../../observability.js';
import type { WorkflowPorts } from './ports.js';
import { refreshInvestigation } from './progress.js';
import { moveAction } from './settle.js';

interface RemediateEvent {
  investigationId: string;
  actionId: string;
}

interface RemediateResult {
  actionId: string;
  status: Action['status'];
  result?: ActionResult;
  skippedBecause?: Action['skippedBecause'];
}

const outcomeOf = (action: Action): RemediateResult => ({
  actionId: action.id,
  status: action.status,
  ...(action.result && { result: action.result }),
  ...(action.skippedBecause && { skippedBecause: action.skippedBecause }),
});

export function createRemediateHandler(
  ports: Pick<
    WorkflowPorts,
    'actions' | 'dedup' | 'connectors' | 'audit' | 'investigations' | 'clock'
  >,
) {
  return async (event: RemediateEvent): Promise<RemediateResult> => {
    let action = await ports.actions.get(event.actionId);
    if (!action) throw new NotFoundError(`Action ${event.actionId} not found`);

    if (action.status === 'Approved') {
      const now = ports.clock();
      const claim = await ports.dedup.claim(
        {
          dedupKey: dedupKeyOf(action.type, action.target),
          actionId: action.id,
          approvedAt: action.decision?.at ?? now.toISOString(),
        },
        now,
      );
      if (!claim.won) {
        const skipped = await moveAction(ports, event.investigationId, action, now, {
          to: 'Skipped',
          event: 'ActionSkipped',
          comment: `Duplicate of ${claim.duplicateOf}, approved at ${claim.approvedAt}`,
          patch: {
            skippedBecause: { duplicateOf: claim.duplicateOf, approvedAt: claim.approvedAt },
          },
          onMoved: () =>
            logger.info('Remediation skipped as a duplicate', {
              actionId: event.actionId,
              duplicateOf: claim.duplicateOf,
            }),
        });
        return outcomeOf(skipped);
      }
      action = await ports.actions.transition(action.id, 'Running', now);
      await refreshInvestigation(ports, event.investigationId);
    }
    if (action.status !== 'Running') return outcomeOf(action);

    // Throws ConnectorTransientError / ConnectorPermanentError by name for the state machine.
    const connector = ports.connectors.connectorFor(action);
    const outcome = await connector.execute(action);
    const at = ports.clock();
    const result = actionResultOf(outcome, at);
    const completed = await moveAction(ports, event.investigationId, action, at, {
      to: 'Completed',
      event: 'ActionCompleted',
      patch: { result },
      onMoved: () => {
        logger.info('Remediation completed', {
          actionId: event.actionId,
          connector: connector.name,
          outcome: result.outcome,
        });
        countMetric('RemediationsCompleted');
      },
    });
    return outcomeOf(completed);
  };
}
