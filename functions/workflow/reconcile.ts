// Lambda entry: the reconciler, the one appender of the audit chain. On its schedule it appends the
// owed audit records (and signs the chain's checkpoints) and re-sends the wakes still owed to
// investigations; on the table's stream of writes that owe audit records, it only appends.

import { auditSealAdapters } from '../audit-seal-wiring.js';
import type { Config } from '../config.js';
import { sealAuditQuietly } from '../services/audit-seal.js';
import { createReconcilerFunction } from '../services/reconcile.js';
import { adaptersFor, lambdaHandler, type Overrides } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) => {
  const { doc, stores, workflow, clock } = adaptersFor(config, overrides);
  // The appender with the signing key: it signs checkpoints and exports the chain.
  const seal = auditSealAdapters(config, doc, overrides);
  return createReconcilerFunction({
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
