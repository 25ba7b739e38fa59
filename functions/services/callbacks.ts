// Delivering a recorded decision to the workflow waiting on it: SendTaskSuccess for an approval,
// SendTaskFailure(ActionRejected) for a rejection, retried with backoff when the failure is
// transient. The task token is passed through and never logged.
import { movedBy, SYSTEM_ACTOR } from '../core/action-changes.js';
import { ConflictError } from '../core/errors.js';
import type { Action } from '../core/model.js';
import type { ActionStore, AuditLog, Clock, Workflow } from '../core/ports.js';
import { isWaitGone } from '../core/waits.js';
import { countMetric, logger } from '../observability.js';
import { recordChange } from './audit-trail.js';

export interface RetryPolicy {
  /** Calls in all, the first included. */
  attempts: number;
  /** The wait before the first retry; doubled for each one after it (with jitter). */
  baseDelayMs: number;
}

export const DEFAULT_CALLBACK_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 100 };

/**
 * `delivered`: the workflow has the decision. `taskGone`: the wait already ended (timed out or
 * finished), so the decision can no longer reach it. `failed`: still owed after every retry.
 */
type CallbackResult = 'delivered' | 'taskGone' | 'failed';

/** What the workflow's AwaitDecision task returns on approval. */
function approvalOutput(action: Action) {
  return { actionId: action.id, status: action.status, decision: action.decision };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Only the error's name and HTTP status are logged: SDK messages may quote the request. */
function errorSummary(error: unknown) {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  return {
    errorName: typeof e?.name === 'string' ? e.name : 'Unknown',
    httpStatus: e?.$metadata?.httpStatusCode,
  };
}

export async function sendDecision(
  workflow: Workflow,
  action: Action,
  taskToken: string,
  policy: RetryPolicy = DEFAULT_CALLBACK_RETRY,
): Promise<CallbackResult> {
  const attempts = Math.max(1, policy.attempts);
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      if (action.status === 'Rejected') {
        await workflow.reject(taskToken, `Rejected by ${action.decision?.by ?? 'an operator'}`);
      } else {
        await workflow.approve(taskToken, approvalOutput(action));
      }
      return 'delivered';
    } catch (error) {
      if (isWaitGone(error)) {
        logger.info('Decision arrived after the wait ended', {
          actionId: action.id,
          ...errorSummary(error),
        });
        return 'taskGone';
      }
      logger.warn('Decision callback failed', {
        actionId: action.id,
        attempt,
        attempts,
        ...errorSummary(error),
      });
      if (attempt < attempts) {
        const delay = policy.baseDelayMs * 2 ** (attempt - 1);
        await sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
  }
  return 'failed';
}

/**
 * An approval whose wait already ended (the engine timed it out): the action becomes Expired.
 * Answers the expired action, or undefined when the workflow had moved the action on already.
 */
export async function expireUndeliverable(
  ports: {
    actions: Pick<ActionStore, 'transition' | 'callbackDelivered'>;
    audit: Pick<AuditLog, 'append'>;
    clock: Clock;
  },
  action: Action,
): Promise<Action | undefined> {
  const at = ports.clock();
  try {
    const expired = await ports.actions.transition(action.id, 'Expired', at);
    if (movedBy(expired, at)) {
      await recordChange(ports, {
        at,
        actor: SYSTEM_ACTOR,
        event: 'ActionExpired',
        action: expired,
        before: action.status,
      });
      countMetric('ActionsExpired');
    }
    return expired;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    await ports.actions.callbackDelivered(action.id);
    return undefined;
  }
}
