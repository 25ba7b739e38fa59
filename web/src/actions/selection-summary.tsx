// The split panel when several actions are selected: whether they can be decided (or undone)
// together, which they are, and after a bulk undo how each one went.
import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import type { Action, BulkOutcome } from '../../../functions/api/schemas';
import { ActionStatusIndicator } from '../common/indicators';
import { ACTION_TYPE_LABELS } from '../common/labels';
import { BULK_OUTCOME_LABELS } from './decision-notices';

export function SelectionSummary({
  selected,
  blocker,
  undo = false,
  results,
}: {
  selected: Action[];
  /** Why they cannot be decided together, if they cannot. */
  blocker: string | undefined;
  /** The selection is offered Undo (History) rather than Approve and Reject. */
  undo?: boolean;
  /** How each action of the last bulk undo went, by id. */
  results?: ReadonlyMap<string, BulkOutcome>;
}) {
  const shownResults = results && selected.some((a) => results.has(a.id)) ? results : undefined;
  const note = shownResults
    ? 'Undo sent for these actions; each row says how it went.'
    : (blocker ??
      (undo
        ? 'These actions can be undone together with Undo above.'
        : 'These actions can be decided together with Approve or Reject above.'));
  return (
    <SpaceBetween size="m">
      <Box color="text-body-secondary" data-testid="selection-note">
        {note}
      </Box>
      <Table
        variant="embedded"
        items={selected}
        trackBy="id"
        columnDefinitions={[
          { id: 'target', header: 'Target', cell: (a) => a.target.displayName },
          { id: 'type', header: 'Action type', cell: (a) => ACTION_TYPE_LABELS[a.type] },
          {
            id: 'status',
            header: 'Status',
            cell: (a) => <ActionStatusIndicator status={a.status} />,
          },
          ...(shownResults
            ? [
                {
                  id: 'result',
                  header: 'Undo result',
                  cell: (a: Action) => {
                    const outcome = shownResults.get(a.id);
                    return outcome ? BULK_OUTCOME_LABELS[outcome] : '-';
                  },
                },
              ]
            : []),
        ]}
      />
    </SpaceBetween>
  );
}
