// One tab's table of actions: multi-selection, sorting (by the API), filter, empty states,
// "Load more" and preferences; the parts are in their own components. Below 1280 px the lines
// wrap, the columns share the width and the secondary ones step aside (Expires stays in view at
// 1024 px); at phone width the list is cards.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { ReactNode } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import { useMediaQuery, useNow } from '../common/hooks';
import { ACTION_TYPE_LABELS, TAB_LABELS } from '../common/labels';
import { ActionCards } from './action-cards';
import { ActionsEmpty } from './actions-empty';
import { ActionsFilter } from './actions-filter';
import { ActionsPreferences } from './actions-preferences';
import { actionColumns } from './columns';
import { EMPTY_FILTER } from './filters';
import type { ActionList } from './use-action-list';
import type { Selection } from './use-selection';
import type { Sorting } from './use-sorting';
import type { TabView } from './use-tab-view';

/** Cloudscape's own breakpoint below which its layouts switch to their mobile form. */
const PHONE = '(max-width: 688px)';
/** Where the default columns no longer fit beside the navigation at their set widths. */
const NARROW = '(max-width: 1279px)';

/**
 * Left out below 1280 px whatever the preferences say (the details panel shows them): beside the
 * navigation, the rest then fits, Expires included.
 */
const SECONDARY_COLUMNS = ['asset', 'createdAt', 'updatedAt'];

/** The columns sized by their content, so that wrapped lines let them share a narrow width. */
const withoutWidths = (columns: TableProps.ColumnDefinition<Action>[]) =>
  columns.map(({ width: _width, minWidth: _minWidth, ...column }) => column);

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
  const phone = useMediaQuery(PHONE);
  const columns = actionColumns(tab, now, open);
  const narrow = useMediaQuery(NARROW);
  const filter = <ActionsFilter tab={tab} view={view} list={list} />;
  const empty = (
    <ActionsEmpty
      tab={tab}
      list={list}
      filtered={view.filter.tokens.length > 0}
      onClearFilters={() => view.setFilter(EMPTY_FILTER)}
    />
  );
  const footer = list.nextCursor ? (
    <Box textAlign="center">
      <Button loading={list.loadingMore} onClick={list.loadMore} data-testid="load-more">
        Load more
      </Button>
    </Box>
  ) : undefined;
  if (phone) {
    return (
      <ActionCards
        tab={tab}
        items={list.items}
        now={now}
        loading={list.loading && list.items.length === 0}
        selected={selection.selected}
        onSelect={select}
        onOpen={open}
        header={header}
        filter={filter}
        empty={empty}
        footer={footer}
      />
    );
  }
  return (
    <Table
      data-testid="actions-table"
      items={list.items}
      columnDefinitions={narrow ? withoutWidths(columns) : columns}
      columnDisplay={
        narrow
          ? preferences.contentDisplay.filter((c) => !SECONDARY_COLUMNS.includes(c.id))
          : preferences.contentDisplay
      }
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
      wrapLines={preferences.wrapLines || narrow}
      stripedRows={preferences.stripedRows}
      variant="full-page"
      stickyHeader
      resizableColumns={!narrow}
      header={header}
      filter={filter}
      empty={empty}
      footer={footer}
      preferences={
        <ActionsPreferences tab={tab} preferences={preferences} onChange={view.setPreferences} />
      }
    />
  );
}
