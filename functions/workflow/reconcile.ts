// Lambda entry: the scheduled reconciler, which appends the owed audit records (and signs the
// chain's checkpoints) and re-sends the wakes still owed to investigations.
import type { Config } from '../config.js';
import { sealAuditQuietly } from '../services/audit-seal.js';
import { createReconcileHandler } from '../services/reconcile.js';
import { adaptersFor, auditSealAdapters, lambdaHandler, type Overrides } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) => {
  const { doc, stores, workflow, clock } = adaptersFor(config, overrides);
  // The appender with the signing key: it signs checkpoints and exports the chain.
  const seal = auditSealAdapters(config, doc, overrides);
  return createReconcileHandler({
    actions: stores.actions,
    investigations: stores.investigations,
    audit: stores.audit,
    workflow,
    clock,
    ...(seal && {
      afterAppend: () => sealAuditQuietly({ ...seal, audit: stores.audit, clock }),
    }),
    callbackRetry: { attempts: 2, baseDelayMs: 200 },
  });
};

export const handler = lambdaHandler(wire);
