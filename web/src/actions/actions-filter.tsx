// The property filter above a tab's table, the History window beside it, and the tokens the API
// cannot apply.
import Box from '@cloudscape-design/components/box';
import PropertyFilter from '@cloudscape-design/components/property-filter';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ActionTab } from '../api/client';
import { WindowSelect } from '../common/window-select';
import { totalText } from './actions-header';
import { filteringOptions, filteringProperties } from './filters';
import type { ActionList } from './use-action-list';
import type { TabView } from './use-tab-view';

export function ActionsFilter({
  tab,
  view,
  list,
}: {
  tab: ActionTab;
  view: TabView;
  list: ActionList;
}) {
  return (
    <SpaceBetween size="xs">
      <PropertyFilter
        query={view.filter}
        onChange={({ detail }) => {
          view.setFilter(detail);
        }}
        filteringProperties={filteringProperties(tab)}
        filteringOptions={filteringOptions(tab)}
        filteringPlaceholder="Filter by name, device, mailbox, alert, type, severity... (several values of a property: any of them)"
        filteringAriaLabel="Filter actions"
        countText={`${totalText(list)} matches`}
        hideOperations
        expandToViewport
        customControl={
          tab === 'history' ? (
            <WindowSelect
              value={view.historyWindow}
              onChange={view.setHistoryWindow}
              testId="history-window"
            />
          ) : undefined
        }
      />
      {view.ignored.length > 0 ? (
        <Box color="text-status-warning" fontSize="body-s">
          Not applied: {view.ignored.join('; ')}
        </Box>
      ) : null}
    </SpaceBetween>
  );
}
