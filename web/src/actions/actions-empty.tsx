// What an empty table says: the load failed (with Retry), or nothing matches the filters (with
// Clear filters), or the tab has nothing yet.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ActionTab } from '../api/client';
import type { ActionList } from './use-action-list';

export function ActionsEmpty({
  tab,
  list,
  filtered,
  onClearFilters,
}: {
  tab: ActionTab;
  list: ActionList;
  filtered: boolean;
  onClearFilters(): void;
}) {
  if (list.error) {
    return (
      <Box textAlign="center" color="inherit" data-testid="load-error">
        <SpaceBetween size="xxs">
          <b>Could not load actions</b>
          <Box color="inherit">{list.error.message}</Box>
          <Button onClick={list.refresh}>Retry</Button>
        </SpaceBetween>
      </Box>
    );
  }
  return (
    <Box textAlign="center" color="inherit" data-testid="empty-state">
      <SpaceBetween size="xxs">
        <b>{filtered ? 'No matches' : tab === 'pending' ? 'No pending actions' : 'No history'}</b>
        <Box color="inherit">
          {filtered
            ? 'No action matches the filters.'
            : tab === 'pending'
              ? 'Nothing is waiting for a decision.'
              : 'No action was decided in this window.'}
        </Box>
        {filtered ? <Button onClick={onClearFilters}>Clear filters</Button> : null}
      </SpaceBetween>
    </Box>
  );
}
