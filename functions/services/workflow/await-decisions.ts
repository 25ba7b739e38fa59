// AwaitDecisions: invoked by the decision loop's `.waitForTaskToken` task, once per pass. Registers
// the investigation's one wait (its task token); a decision or a finished remediation resumes it
// (services/wake.ts), and the state machine's TimeoutSecondsPath ends it at the earliest expiry or
// status check. When work is already due, or a change arrived while no wait was registered (its
// wake was counted after the last pass read the actions), the wait is resumed at once.
import type { LoopState } from '../../core/decision-loop.js';
import type { InvestigationStore, Workflow } from '../../core/ports.js';
import { logger } from '../../observability.js';

interface AwaitDecisionsEvent extends LoopState {
  taskToken: string;
}

interface AwaitDecisionsResult {
  investigationId: string;
  /** Resumed at once rather than left to a decision or the timeout. */
  resumedAtOnce: boolean;
}

/** The workflow's own resume failed every retry: named so the state machine retries the task. */
export class ResumeFailedError extends Error {
  override readonly name = 'ResumeFailed';
}

const RESUME_ATTEMPTS = 3;

export function createAwaitDecisionsHandler(ports: {
  investigations: Pick<InvestigationStore, 'registerWait'>;
  workflow: Workflow;
}) {
  return async (event: AwaitDecisionsEvent): Promise<AwaitDecisionsResult> => {
    const { investigationId } = event;
    const { wakes } = await ports.investigations.registerWait(investigationId, event.taskToken);
    const missed = wakes > event.wakesSeen;
    if (!event.done && !event.dueNow && !missed) {
      return { investigationId, resumedAtOnce: false };
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        await ports.workflow.resume(event.taskToken, { investigationId, wakes });
        return { investigationId, resumedAtOnce: true };
      } catch (error) {
        logger.warn('Could not resume the wait at once', {
          investigationId,
          attempt,
          errorName: (error as Error).name,
        });
        if (attempt >= RESUME_ATTEMPTS) {
          throw new ResumeFailedError(`Could not resume the wait of ${investigationId}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  };
}
