// Advance: one pass of the decision loop over an investigation's actions, after its wait ended (a
// decision, a finished remediation, an undo request, or the wait's timeout). Lapsed Pending actions
// expire, approved ones are submitted, Running ones are checked when due, Completed ones an
// operator asked to undo are undone; then the investigation is recomputed, and
// concluded when nothing is open. A pass that runs out of time leaves the rest for the next one.
import { type LoopState, loopStateOf } from '../../core/decision-loop.js';
import { ConflictError } from '../../core/errors.js';
import type { Action } from '../../core/model.js';
import type { RemediationTracking } from '../../core/remediation.js';
import { isUndoPending } from '../../core/undo.js';
import { countMetric, logger } from '../../observability.js';
import { forEachLimited } from '../limited.js';
import { type InvestigatePorts, planInvestigation } from './investigate.js';
import { concludeOrRefresh } from './progress.js';
import {
  advanceRunning,
  type RemediatePorts,
  type RemediationStep,
  remediateApproved,
} from './remediate.js';
import { recordMove } from './settle.js';
import { undoRequested } from './undo.js';

interface AdvanceEvent {
  investigationId: string;
}

export type AdvancePorts = RemediatePorts & InvestigatePorts;

export interface AdvanceOptions {
  /** Connector calls of one pass at once. */
  concurrency?: number;
  /** After this long no further action is started; the next pass takes the rest. */
  budgetMs?: number;
}

async function expire(ports: AdvancePorts, action: Action): Promise<Action> {
  return recordMove(ports, action, ports.clock(), {
    to: 'Expired',
    event: 'ActionExpired',
    onMoved: (expired) => {
      logger.info('Action expired', { actionId: expired.id });
      countMetric('ActionsExpired');
    },
  });
}

/** What the pass does to one action; undefined when nothing is due for it. */
function stepFor(
  ports: AdvancePorts,
  action: Action,
  tracking: RemediationTracking | undefined,
  now: Date,
): (() => Promise<RemediationStep>) | undefined {
  switch (action.status) {
    case 'Pending':
      if (Date.parse(action.expiresAt) > now.getTime()) return undefined;
      return async () => ({ action: await expire(ports, action) });
    case 'Approved':
      return () => remediateApproved(ports, action);
    case 'Running':
      if (tracking && Date.parse(tracking.checkAt) > now.getTime()) return undefined;
      return () => advanceRunning(ports, action, tracking);
    case 'Completed':
      if (!isUndoPending(action)) return undefined;
      if (tracking && Date.parse(tracking.checkAt) > now.getTime()) return undefined;
      return () => undoRequested(ports, action, tracking);
    default:
      return undefined;
  }
}

export function createAdvanceHandler(ports: AdvancePorts, options: AdvanceOptions = {}) {
  const { concurrency = 8, budgetMs = 60_000 } = options;
  return async (event: AdvanceEvent): Promise<LoopState> => {
    const { investigationId } = event;
    const started = Date.now();
    // Read before the actions: a change after this read wakes the next wait at once.
    const wakesSeen = await ports.investigations.wakesOf(investigationId);
    const read = await ports.investigations.get(investigationId);
    // An updated alert brought evidence since the last pass: analyzed and planned first.
    const planned =
      read.threatsFound === undefined
        ? await planInvestigation(ports, read)
        : { actions: read.actions, threatsFound: read.threatsFound };
    const record = { ...read, actions: planned.actions, threatsFound: planned.threatsFound };
    // Read with the actions when the store can (one Query of the partition instead of two).
    const tracking = new Map(read.tracking ?? (await ports.actions.trackingOf(investigationId)));
    const now = ports.clock();
    const current = new Map(record.actions.map((a) => [a.id, a]));
    const due = record.actions.flatMap((action) => {
      const step = stepFor(ports, action, tracking.get(action.id), now);
      return step ? [step] : [];
    });

    let cutShort = false;
    await forEachLimited(due, concurrency, async (step) => {
      if (Date.now() - started > budgetMs) {
        cutShort = true;
        return;
      }
      // Another pass (a retried invocation) may have moved the action first: take it as it is.
      const after = await step().catch((error: unknown): RemediationStep => {
        if (error instanceof ConflictError && error.action) return { action: error.action };
        throw error;
      });
      current.set(after.action.id, after.action);
      if (after.tracking) tracking.set(after.action.id, after.tracking);
      else tracking.delete(after.action.id);
    });

    const state = loopStateOf({
      investigationId,
      wakesSeen,
      actions: [...current.values()],
      tracking,
      now: ports.clock(),
      cutShort,
    });
    const next = await concludeOrRefresh(ports, state, {
      threatsFound: record.threatsFound,
      known: { investigation: record.investigation, actions: [...current.values()] },
    });
    logger.info(next.done ? 'Investigation concluded' : 'Investigation advanced', {
      investigationId,
      stepped: due.length,
      cutShort,
      waitSeconds: next.done ? undefined : next.waitSeconds,
    });
    return next;
  };
}
