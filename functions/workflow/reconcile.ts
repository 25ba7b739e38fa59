// Lambda entry: the scheduled reconciler, which re-sends decisions whose callback is still owed.
import type { Config } from '../config.js';
import { createReconcileHandler } from '../services/reconcile.js';
import { adaptersFor, lambdaHandler, type Overrides } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) => {
  const { stores, workflow, clock } = adaptersFor(config, overrides);
  return createReconcileHandler({
    actions: stores.actions,
    audit: stores.audit,
    workflow,
    clock,
    callbackRetry: { attempts: 2, baseDelayMs: 200 },
  });
};

export const handler = lambdaHandler(wire);
