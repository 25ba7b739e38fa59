// Finalize: the investigation's final status, counts and time spent pending, and its end time.
// After an error the investigation is Failed.
import type { Investigation } from '../../core/model.js';
import { logger } from '../../observability.js';
import type { WorkflowPorts } from './ports.js';
import { refreshInvestigation } from './progress.js';
import { reasonOf, type TaskFailure } from './task-failure.js';

interface FinalizeEvent {
  investigationId: string;
  threatsFound?: boolean;
  /** Set when the workflow broke: the Catch's `{Error, Cause}`. */
  failure?: TaskFailure;
}

type FinalizeResult = Pick<
  Investigation,
  'id' | 'status' | 'counts' | 'pendingSeconds' | 'endedAt'
>;

export function createFinalizeHandler(ports: Pick<WorkflowPorts, 'investigations' | 'clock'>) {
  return async (event: FinalizeEvent): Promise<FinalizeResult> => {
    if (event.failure) {
      logger.error('Investigation workflow failed', {
        investigationId: event.investigationId,
        reason: reasonOf(event.failure),
      });
    }
    const investigation = await refreshInvestigation(ports, event.investigationId, {
      threatsFound: event.threatsFound,
      final: true,
      ...(event.failure && { endedAs: 'Failed' as const }),
    });
    logger.info('Investigation finished', {
      investigationId: investigation.id,
      status: investigation.status,
      counts: investigation.counts,
    });
    const { id, status, counts, pendingSeconds, endedAt } = investigation;
    return { id, status, counts, pendingSeconds, ...(endedAt && { endedAt }) };
  };
}
