// The split panel when several actions are selected: whether they can be decided together, and
// which they are.
import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import type { Action } from '../../../functions/api/schemas';
import { ActionStatusIndicator } from '../common/indicators';
import { ACTION_TYPE_LABELS } from '../common/labels';

export function SelectionSummary({
  selected,
  blocker,
}: {
  selected: Action[];
  /** Why they cannot be decided together, if they cannot. */
  blocker: string | undefined;
}) {
  return (
    <SpaceBetween size="m">
      <Box color="text-body-secondary">
        {blocker ?? 'These actions can be decided together with Approve or Reject above.'}
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
        ]}
      />
    </SpaceBetween>
  );
}
