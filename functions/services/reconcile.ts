// The reconciler: re-sends every decision whose Step Functions callback is still owed (the API
// could not reach the workflow after its retries), so a recorded decision is never lost.
import type { ActionStore, AuditLog, Clock, Workflow } from '../core/ports.js';
import { afterWaitGone } from '../core/waits.js';
import { ageMetric, countMetric, logger } from '../observability.js';
import {
  DEFAULT_CALLBACK_RETRY,
  expireUndeliverable,
  type RetryPolicy,
  sendDecision,
} from './callbacks.js';

interface ReconcileOptions {
  /** Decisions younger than this are left to the API call that is still delivering them. */
  graceSeconds?: number;
  /** Owed callbacks read per run (oldest first). */
  batchSize?: number;
}

interface ReconcileSummary {
  delivered: number;
  expired: number;
  /** Nothing left to send: the workflow had the decision, or a rejection outlived its wait. */
  settled: number;
  failed: number;
  deferred: number;
}

interface ReconcilePorts {
  actions: Pick<ActionStore, 'callbacksOwed' | 'callbackDelivered' | 'transition'>;
  audit: Pick<AuditLog, 'append'>;
  workflow: Workflow;
  clock: Clock;
  callbackRetry?: RetryPolicy;
}

/** Re-sends every decision whose callback is still owed, and marks the delivered ones. */
async function reconcileCallbacks(
  ports: ReconcilePorts,
  options: ReconcileOptions = {},
): Promise<ReconcileSummary> {
  const { graceSeconds = 120, batchSize = 100 } = options;
  const summary: ReconcileSummary = {
    delivered: 0,
    expired: 0,
    settled: 0,
    failed: 0,
    deferred: 0,
  };
  const now = ports.clock().getTime();
  const policy = ports.callbackRetry ?? DEFAULT_CALLBACK_RETRY;
  for (const { action, taskToken } of await ports.actions.callbacksOwed(batchSize)) {
    const decidedAt = action.decision ? Date.parse(action.decision.at) : 0;
    if (decidedAt > now - graceSeconds * 1000) {
      summary.deferred += 1;
      continue;
    }
    if (action.status !== 'Approved' && action.status !== 'Rejected') {
      await ports.actions.callbackDelivered(action.id);
      summary.settled += 1;
      continue;
    }
    if (taskToken === undefined) {
      logger.error('Owed callback has no task token', { actionId: action.id });
      summary.failed += 1;
      continue;
    }
    // After one callback failed every retry, the rest of this run tries each once.
    const result = await sendDecision(
      ports.workflow,
      action,
      taskToken,
      summary.failed > 0 ? { ...policy, attempts: 1 } : policy,
    );
    if (result === 'failed') {
      summary.failed += 1;
      continue;
    }
    if (result === 'delivered') {
      await ports.actions.callbackDelivered(action.id);
      summary.delivered += 1;
      continue;
    }
    if (afterWaitGone(action, new Date(now)) === 'expire') {
      const expired = await expireUndeliverable(ports, action);
      if (expired) summary.expired += 1;
      else summary.settled += 1;
    } else {
      await ports.actions.callbackDelivered(action.id);
      summary.settled += 1;
    }
  }
  return summary;
}

/** The reconciler's ports: the owed callbacks, and the pending queue whose oldest age it reports. */
type ReconcilerPorts = ReconcilePorts & { actions: Pick<ActionStore, 'oldestPending'> };

/** The reconciler's task: one run over the owed callbacks, then the oldest pending action's age. */
export function createReconcileHandler(ports: ReconcilerPorts, options: ReconcileOptions = {}) {
  return async (_event?: unknown): Promise<ReconcileSummary> => {
    const summary = await reconcileCallbacks(ports, options);
    logger.info('Owed callbacks reconciled', { ...summary });
    countMetric('CallbacksFailed', summary.failed);
    const now = ports.clock();
    const oldest = await ports.actions.oldestPending(now);
    // 0 when nothing waits, so the alarm sees a value on every run.
    const ageMs = oldest ? now.getTime() - Date.parse(oldest.createdAt) : 0;
    ageMetric('OldestPendingActionAge', ageMs / 1000);
    return summary;
  };
}
