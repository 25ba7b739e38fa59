// The decisions the signed-in user may take on one action: Approve and Reject while it is
// pending, Undo once it completed and can be reversed; a note when their roles do not allow it.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { Action } from '../../../functions/api/schemas';
import type { Decision } from '../api/client';
import { mayDecide, useSession } from '../auth/session-context';
import { CATEGORY_LABELS } from '../common/labels';

/** Whether the action's state leaves anything to decide: pending, or completed and undoable. */
export const isOpenToDecision = (action: Action) =>
  action.status === 'Pending' || (action.status === 'Completed' && action.undoable);

/** Only for an action that `isOpenToDecision`. */
export function DecisionButtons({
  action,
  onDecide,
}: {
  action: Action;
  onDecide(decision: Decision): void;
}) {
  const { me } = useSession();
  if (!mayDecide(me, action.category)) {
    return (
      <Box color="text-body-secondary" data-testid="read-only-note">
        You can view this action, but deciding {CATEGORY_LABELS[action.category].toLowerCase()}{' '}
        actions needs another role.
      </Box>
    );
  }
  return (
    <SpaceBetween direction="horizontal" size="xs">
      {action.status === 'Pending' ? (
        <>
          <Button onClick={() => onDecide('reject')} data-testid="details-reject">
            Reject
          </Button>
          <Button
            variant="primary"
            onClick={() => onDecide('approve')}
            data-testid="details-approve"
          >
            Approve
          </Button>
        </>
      ) : (
        <Button iconName="undo" onClick={() => onDecide('undo')} data-testid="details-undo">
          Undo
        </Button>
      )}
    </SpaceBetween>
  );
}
