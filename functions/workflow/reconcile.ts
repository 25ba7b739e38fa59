// Scheduled: delivers every decision whose Step Functions callback is still owed (the API could
// not reach the workflow after its retries), so a recorded decision is never lost.
import { createStores } from '../adapters/dynamodb/index.js';
import {
  createStepFunctionsClient,
  StepFunctionsWorkflow,
} from '../adapters/stepfunctions/workflow-gateway.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../core/ports.js';
import { logger, observe } from '../observability.js';
import {
  type ReconcileOptions,
  type ReconcilePorts,
  type ReconcileSummary,
  reconcileCallbacks,
} from '../services/decisions.js';

export function createReconcileHandler(ports: ReconcilePorts, options: ReconcileOptions = {}) {
  return async (_event?: unknown): Promise<ReconcileSummary> => {
    const summary = await reconcileCallbacks(ports, options);
    logger.info('Owed callbacks reconciled', { ...summary });
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
