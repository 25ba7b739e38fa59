// The reconciler: appends the audit records still owed (the one appender's scheduled run), then
// re-sends every wake still owed to an investigation (the API recorded a decision but could not
// reach the workflow after its retries), so a recorded decision is never left waiting for a timeout.
import { NotFoundError } from '../core/errors.js';
import type { Action } from '../core/model.js';
import { SEVERITIES } from '../core/model.js';
import type { ActionStore, Clock, InvestigationStore, Workflow } from '../core/ports.js';
import { ageMetric, countMetric, logger, severityMetric } from '../observability.js';
import { type AppenderPorts, appendOwedAudit, type SweepSummary } from './audit-appender.js';
import { DEFAULT_WAKE_RETRY, type RetryPolicy, wakeInvestigation } from './wake.js';

interface ReconcileOptions {
  /** Decisions younger than this are left to the API call that is still delivering them. */
  graceSeconds?: number;
  /** Owed wakes read per run (oldest first). */
  batchSize?: number;
  /** Time the run spends appending owed audit records before the wakes. */
  auditBudgetMs?: number;
}

interface ReconcileSummary {
  /** Decisions whose investigation was woken now. */
  delivered: number;
  /** Nothing left to send: the investigation is gone, or has no wait to resume (it is busy). */
  settled: number;
  failed: number;
  deferred: number;
}

interface ReconcilePorts {
  actions: Pick<ActionStore, 'callbacksOwed' | 'callbackDelivered'>;
  investigations: Pick<InvestigationStore, 'wake'>;
  workflow: Workflow;
  clock: Clock;
  callbackRetry?: RetryPolicy;
}

/** Wakes every investigation a decision is still owed to, once, and marks what was delivered. */
async function reconcileWakes(
  ports: ReconcilePorts,
  options: ReconcileOptions = {},
): Promise<ReconcileSummary> {
  const { graceSeconds = 120, batchSize = 100 } = options;
  const summary: ReconcileSummary = { delivered: 0, settled: 0, failed: 0, deferred: 0 };
  const now = ports.clock().getTime();
  const policy = ports.callbackRetry ?? DEFAULT_WAKE_RETRY;
  const owed = new Map<string, Action[]>();
  for (const action of await ports.actions.callbacksOwed(batchSize)) {
    const decidedAt = action.decision ? Date.parse(action.decision.at) : 0;
    if (decidedAt > now - graceSeconds * 1000) {
      summary.deferred += 1;
      continue;
    }
    owed.set(action.investigationId, [...(owed.get(action.investigationId) ?? []), action]);
  }
  for (const [investigationId, actions] of owed) {
    let result: Awaited<ReturnType<typeof wakeInvestigation>> | 'gone';
    try {
      // After one wake failed every retry, the rest of this run tries each once.
      result = await wakeInvestigation(
        ports,
        investigationId,
        summary.failed > 0 ? { ...policy, attempts: 1 } : policy,
      );
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      result = 'gone';
    }
    if (result === 'failed') {
      summary.failed += actions.length;
      continue;
    }
    for (const action of actions) await ports.actions.callbackDelivered(action.id);
    if (result === 'resumed') summary.delivered += actions.length;
    else summary.settled += actions.length;
  }
  return summary;
}

/** The reconciler's ports: the owed audit records and wakes, and the pending queue it reports on. */
type ReconcilerPorts = ReconcilePorts &
  AppenderPorts & { actions: Pick<ActionStore, 'pendingStats'> };

/**
 * The table's writes that owe audit records, as DynamoDB Streams delivers them (filtered on the
 * outbox index key), or the local runtime's write hook: a run of the appender alone.
 */
export interface OutboxTrigger {
  Records: unknown[];
}

const isOutboxTrigger = (event: unknown): event is OutboxTrigger =>
  Array.isArray((event as Partial<OutboxTrigger> | undefined)?.Records);

/**
 * The reconciler as deployed: on the table's stream of writes that owe audit records, the appender
 * alone (a run that finds the lease held leaves them to its holder, which looks again before it
 * stops); on its schedule, the whole reconciler.
 */
export function createReconcilerFunction(ports: ReconcilerPorts, options: ReconcileOptions = {}) {
  const scheduled = createReconcileHandler(ports, options);
  return (event?: unknown): Promise<ReconcileSummary | SweepSummary> =>
    isOutboxTrigger(event)
      ? appendOwedAudit(ports, { budgetMs: options.auditBudgetMs ?? 20_000 })
      : scheduled();
}

/** The scheduled run: the owed audit records, the owed wakes, then what is pending by severity. */
export function createReconcileHandler(ports: ReconcilerPorts, options: ReconcileOptions = {}) {
  return async (_event?: unknown): Promise<ReconcileSummary> => {
    // Within the run's time, so the wakes after it still fit the function's timeout.
    const audit = await appendOwedAudit(ports, { budgetMs: options.auditBudgetMs ?? 20_000 });
    if (audit.appended > 0 || audit.busy) logger.info('Owed audit records appended', { ...audit });
    const summary = await reconcileWakes(ports, options);
    logger.info('Owed wakes reconciled', { ...summary });
    countMetric('CallbacksFailed', summary.failed);
    const stats = await ports.actions.pendingStats(ports.clock());
    // 0 when nothing waits, so the alarms see a value on every run.
    ageMetric(
      'OldestPendingActionAge',
      Math.max(...SEVERITIES.map((s) => stats[s].oldestAgeSeconds)),
    );
    for (const severity of SEVERITIES) {
      severityMetric(severity, 'PendingActions', stats[severity].count);
      severityMetric(severity, 'OldestPendingActionAge', stats[severity].oldestAgeSeconds);
    }
    return summary;
  };
}
