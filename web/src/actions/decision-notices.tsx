// What the page says after a decision went through: on one action, what was done and where to
// see it; on several, how many were decided and why the others were not.
import Button from '@cloudscape-design/components/button';
import type { Action, BulkOutcome } from '../../../functions/api/schemas';
import type { ActionTab, Decision } from '../api/client';
import { ACTION_TYPE_LABELS } from '../common/labels';
import type { Notice } from '../common/notifications';
import { hrefOf, navigate } from '../common/route';

const DONE: Record<Decision, string> = { approve: 'Approved', reject: 'Rejected', undo: 'Undone' };

/** `updated` is the action as the API answered the decision on `action`. */
export function decidedNotice(
  decision: Decision,
  action: Action,
  updated: Action,
  tab: ActionTab,
): Notice {
  // An approval below the quorum is recorded; the action waits for the next person.
  if (decision === 'approve' && updated.status === 'Pending' && updated.approvals) {
    return {
      type: 'success',
      header: `Approval recorded: ${ACTION_TYPE_LABELS[action.type]} on ${action.target.displayName}`,
      content: `${updated.approvals.received.length} of ${updated.approvals.required} approvals; it waits for another person.`,
    };
  }
  // An undo the workflow has not finished within the API's wait (202) is under way, not done.
  const undoing = decision === 'undo' && updated.status !== 'Undone';
  const outcome = {
    approve: 'The remediation is running; its result appears in History.',
    reject: 'Nothing was done to the target.',
    undo: undoing
      ? 'The undo is under way; its result appears in History.'
      : `The remediation was reversed (${updated.result?.outcome ?? updated.status}).`,
  }[decision];
  return {
    type: 'success',
    header: `${undoing ? 'Undo requested' : DONE[decision]}: ${ACTION_TYPE_LABELS[action.type]} on ${action.target.displayName}`,
    content: outcome,
    action:
      tab === 'pending' ? (
        <Button onClick={() => navigate(hrefOf.tab('history'))}>View history</Button>
      ) : undefined,
  };
}

/** How one action of a bulk decision went, in words (the API's `outcome`). */
export const BULK_OUTCOME_LABELS: Record<BulkOutcome, string> = {
  approved: 'Approved',
  approvalRecorded: 'Approval recorded',
  rejected: 'Rejected',
  conflict: 'Changed meanwhile: nothing done',
  expired: 'Expired',
  forbidden: 'Not allowed for your roles',
  notFound: 'Not found',
  undone: 'Undone',
  undoRequested: 'Undo under way',
  undoRefused: 'Refused by the target: still completed',
  undoUnavailable: 'Target not reachable: still completed, try again',
};

/** `results` holds one outcome per requested action (`approved`, `notFound`, `expired`...). */
export function bulkDecidedNotice(
  decision: Decision,
  requested: number,
  results: readonly { outcome: BulkOutcome }[],
): Notice {
  const counts = new Map<BulkOutcome, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const done = ({ approve: 'approved', reject: 'rejected', undo: 'undone' } as const)[decision];
  // An undo still under way went through too: it is recorded and the workflow carries it out.
  const through: BulkOutcome[] = decision === 'undo' ? ['undone', 'undoRequested'] : [done];
  const succeeded = through.reduce((n, o) => n + (counts.get(o) ?? 0), 0);
  const others = [...counts].filter(([outcome]) => !through.includes(outcome));
  const underWay = decision === 'undo' ? (counts.get('undoRequested') ?? 0) : 0;
  return {
    type: others.length === 0 ? 'success' : succeeded > 0 ? 'warning' : 'error',
    header: `${succeeded} of ${requested} actions ${done}${underWay > 0 ? ` (${underWay} still under way)` : ''}`,
    content:
      others.length > 0
        ? `Not ${decision === 'undo' ? 'undone' : 'decided'}: ${others.map(([o, n]) => `${n} ${BULK_OUTCOME_LABELS[o].toLowerCase()}`).join(', ')}.`
        : undefined,
  };
}

/** After a decision whose answer was lost: what the action's status turned out to be. */
export function recheckedNotice(action: Action): Notice {
  const by = action.decision ? ` by ${action.decision.by}` : '';
  return {
    type: 'info',
    header: `${ACTION_TYPE_LABELS[action.type]} on ${action.target.displayName} is ${action.status}${by}`,
    content: 'Its status changed before the connection failed, so nothing more was sent.',
  };
}
