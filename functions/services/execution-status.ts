// Execution status changes: when an investigation's execution fails, times out or is stopped, the
// investigation ends (Failed, or TerminatedByUser when stopped) and every open action is closed
// with the reason, so no action stays decidable, or approved, for a workflow that is gone.
// EventBridge delivers at least once: a replay finds the actions closed and the investigation
// ended, and writes nothing.
import type { EventBridgeEvent } from 'aws-lambda';
import { ConflictError, NotFoundError } from '../core/errors.js';
import {
  closingMoveOf,
  EXECUTION_STATUS_DETAIL_TYPE,
  EXECUTION_STATUS_SOURCE,
  ExecutionStatusDetail,
  endingReason,
  investigationOfExecution,
  investigationStatusAfter,
  isEnding,
} from '../core/execution-end.js';
import { countActions, isFinished } from '../core/investigation-status.js';
import type { Action, InvestigationStatus } from '../core/model.js';
import type { ActionStore, Clock, InvestigationStore } from '../core/ports.js';
import { countMetric, logger } from '../observability.js';
import { refreshInvestigation } from './workflow/progress.js';
import { recordMove } from './workflow/settle.js';

export interface ExecutionStatusPorts {
  actions: Pick<ActionStore, 'transition'>;
  investigations: Pick<InvestigationStore, 'get' | 'update'>;
  /** The investigation state machine: executions of any other are not ours. */
  stateMachineArn: string;
  clock: Clock;
}

export type ExecutionStatusResult =
  | { outcome: 'ignored'; reason: string }
  | {
      /** `unchanged`: a replay, or an ending that found the investigation already closed. */
      outcome: 'ended' | 'unchanged';
      investigationId: string;
      status: InvestigationStatus;
      /** The actions this call closed. */
      closed: number;
    };

/** A decision or a task of the dying execution may move an action first: then it closes from there. */
const CLOSE_ATTEMPTS = 3;

/** Closes one open action as the System; answers whether this call moved it. */
async function closeAction(
  ports: ExecutionStatusPorts,
  action: Action,
  at: Date,
  reason: string,
): Promise<boolean> {
  let current = action;
  for (let attempt = 1; attempt <= CLOSE_ATTEMPTS; attempt += 1) {
    const move = closingMoveOf(current, at, reason);
    if (!move) return false;
    try {
      let moved = false;
      await recordMove(ports, current, at, {
        ...move,
        onMoved: (closed) => {
          moved = true;
          countMetric('ActionsClosedByExecutionEnd', 1, closed.category);
        },
      });
      return moved;
    } catch (error) {
      if (!(error instanceof ConflictError) || !error.action) throw error;
      current = error.action;
    }
  }
  throw new Error(`Action ${action.id} kept changing while its investigation was being closed`);
}

function ignored(reason: string, context: Record<string, unknown> = {}): ExecutionStatusResult {
  logger.info('Execution status change ignored', { reason, ...context });
  return { outcome: 'ignored', reason };
}

export async function endInvestigation(
  event: Partial<EventBridgeEvent<string, unknown>>,
  ports: ExecutionStatusPorts,
): Promise<ExecutionStatusResult> {
  const parsed = ExecutionStatusDetail.safeParse(event.detail);
  if (
    event.source !== EXECUTION_STATUS_SOURCE ||
    event['detail-type'] !== EXECUTION_STATUS_DETAIL_TYPE ||
    !parsed.success
  ) {
    return ignored('Not a Step Functions execution status change', { eventId: event.id });
  }
  const detail = parsed.data;
  const context = { executionArn: detail.executionArn, status: detail.status };
  if (detail.stateMachineArn !== ports.stateMachineArn) {
    return ignored('An execution of another state machine', context);
  }
  if (!isEnding(detail.status)) return ignored(`An execution ${detail.status}`, context);
  const investigationId = investigationOfExecution(detail);
  if (investigationId === undefined) {
    logger.warn('An ended execution names no investigation', context);
    return { outcome: 'ignored', reason: 'The execution names no investigation' };
  }

  let record: Awaited<ReturnType<ExecutionStatusPorts['investigations']['get']>>;
  try {
    record = await ports.investigations.get(investigationId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    // Normalize refused the alert before recording it: nothing was opened, nothing to close.
    logger.warn('An ended execution of an unknown investigation', { ...context, investigationId });
    return { outcome: 'ignored', reason: `Investigation ${investigationId} does not exist` };
  }

  const at = ports.clock();
  const reason = endingReason({ ...detail, status: detail.status });
  let closed = 0;
  for (const action of record.actions) {
    if (await closeAction(ports, action, at, reason)) closed += 1;
  }

  const { investigation, actions } = record;
  // An investigation the workflow already concluded keeps its conclusion.
  const endedAs = isFinished(investigation.status)
    ? investigation.status
    : investigationStatusAfter(detail.status);
  const counts = countActions(actions.map((a) => a.status));
  const countsCurrent = Object.entries(counts).every(
    ([name, value]) => investigation.counts[name as keyof typeof counts] === value,
  );
  if (closed === 0 && isFinished(investigation.status) && countsCurrent) {
    return { outcome: 'unchanged', investigationId, status: investigation.status, closed };
  }
  const ended = await refreshInvestigation(ports, investigationId, { final: true, endedAs });
  logger.info('Investigation ended with its execution', {
    ...context,
    investigationId,
    status: ended.status,
    closed,
    reason,
  });
  return { outcome: 'ended', investigationId, status: ended.status, closed };
}

/** The Lambda handler over the ports (functions/workflow/execution-status.ts wires the real ones). */
export function createExecutionStatusHandler(ports: ExecutionStatusPorts) {
  return (event: EventBridgeEvent<string, unknown>): Promise<ExecutionStatusResult> =>
    endInvestigation(event, ports);
}
