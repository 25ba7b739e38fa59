// Lambda entry: the scheduled reconciler, which re-sends the wakes still owed to investigations.
import type { Config } from '../config.js';
import { createReconcileHandler } from '../services/reconcile.js';
import { adaptersFor, lambdaHandler, type Overrides } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) => {
  const { stores, workflow, clock } = adaptersFor(config, overrides);
  return createReconcileHandler({
    actions: stores.actions,
    investigations: stores.investigations,
    audit: stores.audit,
    workflow,
    clock,
    callbackRetry: { attempts: 2, baseDelayMs: 200 },
  });
};

export const handler = lambdaHandler(wire);
