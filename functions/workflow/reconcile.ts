// Scheduled: delivers every decision whose Step Functions callback is still owed (the API could
// not reach the workflow after its retries), so a recorded decision is never lost.
import { type ActionStore, createStores } from '../adapters/dynamodb/index.js';
import {
  createStepFunctionsClient,
  StepFunctionsWorkflow,
} from '../adapters/stepfunctions/workflow-gateway.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../core/ports.js';
import { ageMetric, countMetric, logger, observe } from '../observability.js';
import {
  type ReconcileOptions,
  type ReconcilePorts,
  type ReconcileSummary,
  reconcileCallbacks,
} from '../services/decisions.js';

/** The reconciler's ports: the owed callbacks, and the pending queue whose oldest age it reports. */
export type ReconcilerPorts = ReconcilePorts & { actions: Pick<ActionStore, 'oldestPending'> };

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

const config = loadConfig();
const stores = createStores(config);

const reconcile = createReconcileHandler({
  actions: stores.actions,
  audit: stores.audit,
  workflow: new StepFunctionsWorkflow(createStepFunctionsClient(config)),
  clock: systemClock,
  callbackRetry: { attempts: 2, baseDelayMs: 200 },
});
export const handler = observe(reconcile);
