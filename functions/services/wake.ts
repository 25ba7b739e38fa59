// Waking an investigation's decision loop after a change it must act on (a decision, a remediation
// that finished on its target): the wake is counted on the investigation first, then its wait is
// resumed. A wait that is gone, or not registered yet, needs nothing more: the next wait sees the
// count and ends at once. Only a resume that failed every retry is worth telling the caller.
import type { InvestigationStarter, InvestigationStore, Workflow } from '../core/ports.js';
import { isWaitGone } from '../core/waits.js';
import { logger } from '../observability.js';

export interface WakePorts {
  investigations: Pick<InvestigationStore, 'wake'>;
  workflow: Workflow;
}

export interface RetryPolicy {
  /** Calls in all, the first included. */
  attempts: number;
  /** The wait before the first retry; doubled for each one after it (with jitter). */
  baseDelayMs: number;
}

export const DEFAULT_WAKE_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 100 };

/** `resumed`: the wait ended. `noWait`: none to end (the loop is busy and will look again). */
export type WakeResult = 'resumed' | 'noWait' | 'failed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Only the error's name and HTTP status are logged: SDK messages may quote the request. */
function errorSummary(error: unknown) {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  return {
    errorName: typeof e?.name === 'string' ? e.name : 'Unknown',
    httpStatus: e?.$metadata?.httpStatusCode,
  };
}

export async function wakeInvestigation(
  ports: WakePorts,
  investigationId: string,
  retry: RetryPolicy = DEFAULT_WAKE_RETRY,
): Promise<WakeResult> {
  const { waitToken } = await ports.investigations.wake(investigationId);
  return resumeWait(ports, investigationId, waitToken, retry);
}

/** Ends the wait the wake found (its wakes already counted), with retries. */
export async function resumeWait(
  ports: Pick<WakePorts, 'workflow'>,
  investigationId: string,
  waitToken: string | undefined,
  retry: RetryPolicy = DEFAULT_WAKE_RETRY,
): Promise<WakeResult> {
  if (waitToken === undefined) return 'noWait';
  const attempts = Math.max(1, retry.attempts);
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      await ports.workflow.resume(waitToken, { investigationId });
      return 'resumed';
    } catch (error) {
      if (isWaitGone(error)) return 'noWait';
      logger.warn('Could not resume the investigation', {
        investigationId,
        attempt,
        attempts,
        ...errorSummary(error),
      });
      if (attempt < attempts) {
        const delay = retry.baseDelayMs * 2 ** (attempt - 1);
        await sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
  }
  return 'failed';
}

export interface ReopenPorts {
  investigations: Pick<InvestigationStore, 'wakeOrReopen'>;
  workflow: Workflow;
  /** Starts a concluded investigation's workflow again. */
  starter: InvestigationStarter;
  stateMachineArn: string;
  clock: () => Date;
  callbackRetry?: RetryPolicy;
}

/**
 * After a change an investigation must act on even if it concluded (an undo, a manual action):
 * wakes its wait while it is open, else starts its workflow again under the next `<id>-u<n>`.
 */
export async function wakeOrReopenInvestigation(
  ports: ReopenPorts,
  investigationId: string,
): Promise<WakeResult | 'reopened'> {
  const reopening = await ports.investigations.wakeOrReopen(investigationId, ports.clock());
  if (reopening.outcome === 'woken') {
    return resumeWait(
      ports,
      investigationId,
      reopening.waitToken,
      ports.callbackRetry ?? DEFAULT_WAKE_RETRY,
    );
  }
  await ports.starter.startInvestigation(ports.stateMachineArn, reopening.executionName, {
    investigationId,
  });
  logger.info('Investigation reopened', { investigationId, execution: reopening.executionName });
  return 'reopened';
}
