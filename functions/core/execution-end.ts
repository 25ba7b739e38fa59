// An investigation whose execution ends without finishing it (failed, timed out, or stopped):
// which endings count, which investigation the execution ran, the status the investigation ends
// in, and where each of its open actions goes, so nothing stays decidable for a workflow that is gone.
import * as z from 'zod';
import { actionResultOf, SYSTEM_ACTOR } from './action-changes.js';
import { presentAction } from './action-status.js';
import { investigationIdFor, isInvestigationId } from './ids.js';
import {
  type Action,
  type ActionStatus,
  type AuditEvent,
  type InvestigationStatus,
  TEXT_LIMITS,
} from './model.js';
import type { ActionPatch } from './ports.js';
import { clip } from './text.js';

/** The EventBridge `source` and `detail-type` of Step Functions' execution status changes. */
export const EXECUTION_STATUS_SOURCE = 'aws.states';
export const EXECUTION_STATUS_DETAIL_TYPE = 'Step Functions Execution Status Change';

/** The endings that leave an investigation unfinished: SUCCEEDED ran Finalize, RUNNING has not ended. */
export const ENDING_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionEnding = (typeof ENDING_STATUSES)[number];

export function isEnding(status: unknown): status is ExecutionEnding {
  return ENDING_STATUSES.includes(status as ExecutionEnding);
}

const optionalText = z.string().nullish();

/** The `detail` of an execution status change, as Step Functions sends it (DescribeExecution's fields). */
export const ExecutionStatusDetail = z.looseObject({
  executionArn: z.string().min(1),
  stateMachineArn: z.string().min(1),
  name: z.string().min(1),
  status: z.string().min(1),
  startDate: z.number().nullish(),
  stopDate: z.number().nullish(),
  /** The execution's input as JSON text; null when too large to be included in the event. */
  input: optionalText,
  output: optionalText,
  error: optionalText,
  cause: optionalText,
});
export type ExecutionStatusDetail = z.infer<typeof ExecutionStatusDetail>;

function parsedInput(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The investigation an execution ran: the input's investigationId, else the one its alert maps
 * to, else its name (ingest names each execution after its investigation). An input whose
 * investigationId is not its alert's never ran (Normalize refuses it), so it names none.
 */
export function investigationOfExecution(
  detail: Pick<ExecutionStatusDetail, 'name' | 'input'>,
): string | undefined {
  const input = parsedInput(detail.input);
  const alert = input.alert as { alertId?: unknown } | undefined;
  const fromInput = typeof input.investigationId === 'string' ? input.investigationId : undefined;
  const fromAlert =
    typeof alert?.alertId === 'string' ? investigationIdFor(alert.alertId) : undefined;
  if (fromInput !== undefined && fromAlert !== undefined && fromInput !== fromAlert) {
    return undefined;
  }
  const id = fromInput ?? fromAlert ?? detail.name;
  return isInvestigationId(id) ? id : undefined;
}

/** StopExecution is a person's (or an operator tool's) call; anything else broke the workflow. */
export function investigationStatusAfter(ending: ExecutionEnding): InvestigationStatus {
  return ending === 'ABORTED' ? 'TerminatedByUser' : 'Failed';
}

/** Why the investigation ended, in one line for the actions and the audit log. */
export function endingReason(
  detail: Pick<ExecutionStatusDetail, 'error' | 'cause'> & {
    status: ExecutionEnding;
  },
): string {
  const said = [detail.error, detail.cause].filter(Boolean).join(': ');
  const what = {
    ABORTED: 'was stopped',
    FAILED: 'failed',
    TIMED_OUT: 'timed out',
  }[detail.status];
  return `The investigation's workflow ${what} (${detail.status})${said ? `: ${said}` : ''}`;
}

/** What closing an action writes: its status, the audit event, the reason, and what it stores. */
export interface ClosingMove {
  to: ActionStatus;
  event: AuditEvent;
  comment: string;
  patch?: ActionPatch;
}

/**
 * Where an open action goes when its workflow is gone, with the reason. A pending action is
 * rejected by the System (nothing will touch the target) unless its time had run out; an approved
 * or running one failed, since its remediation will never be carried out or its outcome recorded.
 * Closed actions stay as they are.
 */
export function closingMoveOf(action: Action, now: Date, reason: string): ClosingMove | undefined {
  const comment = clip(reason, TEXT_LIMITS.comment);
  switch (presentAction(action, now).status) {
    case 'Expired':
      if (action.status !== 'Pending') return undefined;
      return { to: 'Expired', event: 'ActionExpired', comment };
    case 'Pending': {
      const decision = { by: SYSTEM_ACTOR, at: now.toISOString(), automated: false, comment };
      return { to: 'Rejected', event: 'ActionRejected', comment, patch: { decision } };
    }
    case 'Approved':
    case 'Running': {
      const result = actionResultOf({ outcome: 'Failed', detail: reason }, now);
      return { to: 'Failed', event: 'ActionFailed', comment, patch: { result } };
    }
    default:
      return undefined;
  }
}
