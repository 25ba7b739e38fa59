// What an operator reads when a decision fails: 403, 409 and 410 each say what happened and that
// nothing was done; with no answer at all, that it may have been recorded.
import { ApiError, type Decision } from '../api/client';
import { formatTime } from '../common/labels';

export interface DecisionFailure {
  header: string;
  message: string;
  /** No answer came back: the decision may or may not have been recorded. */
  uncertain?: boolean;
  /** The comment typed for the failed decision, shown so that it is not lost. */
  comment?: string;
}

const PAST: Record<Decision, string> = { approve: 'approved', reject: 'rejected', undo: 'undone' };

export function decisionFailure(error: unknown, decision: Decision): DecisionFailure {
  if (!(error instanceof ApiError)) {
    return { header: 'Decision failed', message: String(error) };
  }
  const current = error.action;
  switch (error.status) {
    case 0:
      return {
        header: 'No answer from the Action Center',
        message: `The decision may not have been recorded: check its status. Retry reads the action first and sends nothing by itself.`,
        uncertain: true,
      };
    case 403:
      return {
        header: 'Not allowed',
        message: `You are not allowed to ${decision} this action. ${error.message}.`.replace(
          /\.\.$/,
          '.',
        ),
      };
    case 409: {
      const by = current?.decision ? ` by ${current.decision.by}` : '';
      const state = current ? ` It is now ${current.status}${by}.` : '';
      return {
        header: 'Already decided',
        message: `This action can no longer be ${PAST[decision]}: its state changed meanwhile.${state} Nothing was changed.`,
      };
    }
    case 410:
      return {
        header: 'Action expired',
        message: `This action expired${
          current ? ` on ${formatTime(current.expiresAt)}` : ''
        } and can no longer be approved or rejected. Nothing was done to the target.`,
      };
    case 404:
      return { header: 'Not found', message: 'This action no longer exists.' };
    default:
      return { header: 'Decision failed', message: error.message };
  }
}
