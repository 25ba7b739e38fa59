// One tab's table of actions: multi-selection, sorting (by the API), filter, empty states, "Load more" and
// preferences; the parts are in their own components.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Table from '@cloudscape-design/components/table';
import type { ReactNode } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import { useNow } from '../common/hooks';
import { ACTION_TYPE_LABELS, TAB_LABELS } from '../common/labels';
import { ActionsEmpty } from './actions-empty';
import { ActionsFilter } from './actions-filter';
import { ActionsPreferences } from './actions-preferences';
import { actionColumns } from './columns';
import { EMPTY_FILTER } from './filters';
import type { ActionList } from './use-action-list';
import type { Selection } from './use-selection';
import type { Sorting } from './use-sorting';
import type { TabView } from './use-tab-view';

export function ActionsTable({
  tab,
  view,
  list,
  selection,
  sorting,
  header,
}: {
  tab: ActionTab;
  view: TabView;
  list: ActionList;
  selection: Selection;
  sorting: Sorting;
  header: ReactNode;
}) {
  // Countdowns in the Expires column move on twice a minute.
  const now = useNow(30_000);
  const { preferences } = view;
  const { select, open } = selection;
  return (
    <Table
      data-testid="actions-table"
      items={list.items}
      columnDefinitions={actionColumns(tab, now, open)}
      columnDisplay={preferences.contentDisplay}
      trackBy="id"
      loading={list.loading && list.items.length === 0}
      loadingText={`Loading ${tab === 'pending' ? 'pending actions' : 'history'}`}
      selectionType="multi"
      selectedItems={selection.selected}
      onSelectionChange={({ detail }) => select(detail.selectedItems)}
      onRowClick={({ detail }) => open(detail.item)}
      ariaLabels={{
        selectionGroupLabel: 'Actions',
        allItemsSelectionLabel: () => 'Select all loaded actions',
        itemSelectionLabel: (_, a: Action) =>
          `Select ${ACTION_TYPE_LABELS[a.type]} on ${a.target.displayName}`,
        tableLabel: `${TAB_LABELS[tab]} actions`,
      }}
      sortingColumn={sorting.sortingColumn}
      sortingDescending={sorting.isDescending}
      onSortingChange={({ detail }) => sorting.setSorting(detail)}
      wrapLines={preferences.wrapLines}
      stripedRows={preferences.stripedRows}
      variant="full-page"
      stickyHeader
      resizableColumns
      header={header}
      filter={<ActionsFilter tab={tab} view={view} list={list} />}
      empty={
        <ActionsEmpty
          tab={tab}
          list={list}
          filtered={view.filter.tokens.length > 0}
          onClearFilters={() => view.setFilter(EMPTY_FILTER)}
        />
      }
      footer={
        list.nextCursor ? (
          <Box textAlign="center">
            <Button loading={list.loadingMore} onClick={list.loadMore} data-testid="load-more">
              Load more
            </Button>
          </Box>
        ) : undefined
      }
      preferences={
        <ActionsPreferences tab={tab} preferences={preferences} onChange={view.setPreferences} />
      }
    />
  );
}
