// Remediating one action, a step per pass of the decision loop. An approved action claims its
// cluster or target for the dedup window (a duplicate becomes Skipped), becomes Running and is
// submitted to its connector; a Running one is asked for its status when its check is due, with
// backoff, until the target says Completed or Failed, or the connector's timeout passes
// (TimedOut, recorded as Failed). A transient failure is tried again later; once the retries are
// spent, or on a permanent failure, the action is Failed with the reason. Each step checks where
// the action is, so a replayed pass does no harm.
import { actionResultOf } from '../../core/action-changes.js';
import { dedupKeyOf } from '../../core/catalog.js';
import type { Action } from '../../core/model.js';
import type { Connector, RemediationProgress } from '../../core/ports.js';
import {
  afterTransientFailure,
  isDue,
  isPastDeadline,
  type RemediationTracking,
  startTracking,
  stillRunning,
  TIMED_OUT_OUTCOME,
  timedOutDetail,
} from '../../core/remediation.js';
import { WORKFLOW_ERRORS } from '../../core/workflow-errors.js';
import { countMetric, logger } from '../../observability.js';
import type { WorkflowPorts } from './ports.js';
import { recordMove } from './settle.js';

export type RemediatePorts = Pick<
  WorkflowPorts,
  'actions' | 'dedup' | 'connectors' | 'clock' | 'settings'
>;

/** An action after its step, with its tracking while it is Running. */
export interface RemediationStep {
  action: Action;
  tracking?: RemediationTracking;
}

/** An approved action: dedup claim, then Running and submitted. */
export async function remediateApproved(
  ports: RemediatePorts,
  action: Action,
): Promise<RemediationStep> {
  const now = ports.clock();
  const claim = await ports.dedup.claim(
    {
      dedupKey: dedupKeyOf(action.type, action.target),
      actionId: action.id,
      approvedAt: action.decision?.at ?? now.toISOString(),
    },
    now,
  );
  if (!claim.won) {
    const skipped = await recordMove(ports, action, now, {
      to: 'Skipped',
      event: 'ActionSkipped',
      comment: `Duplicate of ${claim.duplicateOf}, approved at ${claim.approvedAt}`,
      patch: { skippedBecause: { duplicateOf: claim.duplicateOf, approvedAt: claim.approvedAt } },
      onMoved: () =>
        logger.info('Remediation skipped as a duplicate', {
          actionId: action.id,
          duplicateOf: claim.duplicateOf,
        }),
    });
    return { action: skipped };
  }
  const connector = ports.connectors.connectorFor(action);
  const tracking = startTracking(now, connector.timeoutSeconds);
  const running = await ports.actions.transition(action.id, 'Running', now, { tracking });
  if (running.status !== 'Running') return { action: running };
  return advanceRunning(ports, running, tracking);
}

/**
 * A Running action: submitted when it was not yet, else asked for its status when its check is
 * due. `tracking` is absent when a pass was cut off between Running and its first submission.
 */
export async function advanceRunning(
  ports: RemediatePorts,
  action: Action,
  known: RemediationTracking | undefined,
): Promise<RemediationStep> {
  const connector = ports.connectors.connectorFor(action);
  const now = ports.clock();
  const tracking = known ?? startTracking(now, connector.timeoutSeconds);
  if (!isDue(tracking, now)) return { action, tracking };
  let progress: RemediationProgress;
  try {
    progress = tracking.submitted
      ? await connector.status(action, tracking.ref)
      : await connector.submit(action);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (failure.name === WORKFLOW_ERRORS.connectorTransient) {
      const next = afterTransientFailure(tracking, now, ports.settings.connectorRetry);
      if (next) {
        logger.warn('Connector unavailable; trying again later', {
          actionId: action.id,
          connector: connector.name,
          failures: next.failures,
          checkAt: next.checkAt,
        });
        await ports.actions.track(action.id, next);
        return { action, tracking: next };
      }
    }
    return failed(ports, action, { outcome: 'Failed', detail: reasonOf(failure) });
  }
  switch (progress.state) {
    case 'completed':
      return completed(ports, action, connector, progress);
    case 'failed':
      return failed(ports, action, {
        outcome: progress.outcome ?? 'Failed',
        detail: progress.reason,
      });
    case 'running': {
      // Asked once more at the deadline: a target that finished just in time is not TimedOut.
      if (isPastDeadline(tracking, now)) return timedOut(ports, action, connector);
      const next = stillRunning(tracking, now, progress.ref, progress.detail);
      await ports.actions.track(action.id, next);
      if (next.detail !== undefined && next.detail !== tracking.detail) {
        logger.info('Remediation still running', { actionId: action.id, detail: next.detail });
      }
      if (!tracking.submitted) {
        logger.info('Remediation submitted; running on the target', {
          actionId: action.id,
          connector: connector.name,
          checkAt: next.checkAt,
        });
      }
      return { action, tracking: next };
    }
  }
}

/** `Name: message`, the reason a failed action keeps (the connector's words). */
function reasonOf(error: Error): string {
  return error.message ? `${error.name}: ${error.message}` : error.name;
}

async function completed(
  ports: RemediatePorts,
  action: Action,
  connector: Connector,
  progress: { outcome: string; detail?: string },
): Promise<RemediationStep> {
  const at = ports.clock();
  const result = actionResultOf(progress, at);
  const done = await recordMove(ports, action, at, {
    to: 'Completed',
    event: 'ActionCompleted',
    patch: { result },
    onMoved: () => {
      logger.info('Remediation completed', {
        actionId: action.id,
        connector: connector.name,
        outcome: result.outcome,
      });
      countMetric('RemediationsCompleted');
    },
  });
  return { action: done };
}

async function failed(
  ports: RemediatePorts,
  action: Action,
  outcome: { outcome: string; detail: string },
): Promise<RemediationStep> {
  const at = ports.clock();
  const result = actionResultOf(outcome, at);
  const done = await recordMove(ports, action, at, {
    to: 'Failed',
    event: 'ActionFailed',
    comment: result.detail,
    patch: { result },
    onMoved: () => {
      logger.warn('Remediation failed', { actionId: action.id, reason: result.detail });
      countMetric('RemediationsFailed');
    },
  });
  return { action: done };
}

function timedOut(
  ports: RemediatePorts,
  action: Action,
  connector: Connector,
): Promise<RemediationStep> {
  return failed(ports, action, {
    outcome: TIMED_OUT_OUTCOME,
    detail: timedOutDetail(connector.name, connector.timeoutSeconds),
  });
}
