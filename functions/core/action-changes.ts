// What a change to an action leaves behind: who made it, whether this call made it, the audit
// record it writes, and the result it stores.
import {
  type Action,
  type ActionResult,
  type AuditEvent,
  type AuditRecord,
  TEXT_LIMITS,
} from './model.js';
import { clip } from './text.js';

/** The actor of changes no person made: expiry, skips, remediation results, late approvals. */
export const SYSTEM_ACTOR = 'System';

/**
 * The transition was this call's own: `transition` answers an action already in the target
 * status as it is, and only the write that moved it stamps `updatedAt` with this call's time.
 */
export const movedBy = (action: Action, at: Date) => action.updatedAt === at.toISOString();

export interface ActionChange {
  at: Date;
  actor: string;
  event: AuditEvent;
  /** The action after the change (its status is the one the change's write sets). */
  action: Pick<Action, 'id' | 'investigationId' | 'status'>;
  before: Action['status'] | null;
  comment?: string;
  /** The ids of the approval policies that allowed the change (a person's decision). */
  policy?: string[];
  /** A decision made through a decision link. */
  via?: 'link';
}

/**
 * The audit record of a change: the action's status after it, and the comment if there is one, cut
 * to the audit entry's limit (a remediation failure's reason may be longer).
 */
export function auditRecordOf(change: ActionChange): AuditRecord {
  return {
    at: change.at.toISOString(),
    actor: change.actor,
    event: change.event,
    actionId: change.action.id,
    investigationId: change.action.investigationId,
    before: change.before,
    after: change.action.status,
    ...(change.comment !== undefined && { comment: clip(change.comment, TEXT_LIMITS.comment) }),
    ...(change.policy !== undefined && change.policy.length > 0 && { policy: change.policy }),
    ...(change.via !== undefined && { via: change.via }),
  };
}

/** A connector's (or a failure's) outcome as the action stores it, cut to the stored limits. */
export function actionResultOf(
  outcome: { outcome: string; detail?: string },
  at: Date,
): ActionResult {
  const result: ActionResult = {
    outcome: clip(outcome.outcome, TEXT_LIMITS.outcome),
    at: at.toISOString(),
  };
  if (outcome.detail) result.detail = clip(outcome.detail, TEXT_LIMITS.detail);
  return result;
}
