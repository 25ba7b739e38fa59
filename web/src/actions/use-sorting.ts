// The list's order: a sortable column stands for the API's `sort` and its direction for `order`.
// The API sorts the whole list (not the loaded rows), so the table only shows the indicator. A
// chosen order is kept for the browser session; until then the tab's default shows.
import type { TableProps } from '@cloudscape-design/components/table';
import { useMemo } from 'react';
import type { Action } from '../../../functions/api/schemas';
import {
  ACTION_SORTS,
  type ActionOrder,
  DEFAULT_ORDER,
  PENDING_SORTS,
} from '../../../functions/core/action-order';
import type { ActionQuery, ActionTab } from '../api/client';
import { useStoredState } from '../common/hooks';

export interface Sorting {
  /** The sorted column, named by its `sortingField` (the API's sort). */
  sortingColumn: TableProps.SortingColumn<Action>;
  isDescending: boolean;
  setSorting(sorting: TableProps.SortingState<Action>): void;
  /** The order to ask the API for: none until a column was chosen (the tab's default). */
  query: Pick<ActionQuery, 'sort' | 'order'>;
}

const sortsOf = (tab: ActionTab): readonly string[] =>
  tab === 'pending' ? PENDING_SORTS : ACTION_SORTS;

function orderGuard(tab: ActionTab) {
  return (value: unknown): value is ActionOrder | null =>
    value === null ||
    (typeof value === 'object' &&
      sortsOf(tab).includes((value as ActionOrder).sort) &&
      ['asc', 'desc'].includes((value as ActionOrder).order));
}

export function useSorting(tab: ActionTab): Sorting {
  const accept = useMemo(() => orderGuard(tab), [tab]);
  const [chosen, setChosen] = useStoredState<ActionOrder | null>(
    `actionCenter.sort.${tab}`,
    null,
    accept,
    'session',
  );
  const shown = chosen ?? DEFAULT_ORDER[tab];
  return {
    sortingColumn: { sortingField: shown.sort },
    isDescending: shown.order === 'desc',
    setSorting: ({ sortingColumn, isDescending }) => {
      const sort = sortingColumn.sortingField;
      if (sort === undefined || !sortsOf(tab).includes(sort)) return;
      setChosen({ sort: sort as ActionOrder['sort'], order: isDescending ? 'desc' : 'asc' });
    },
    query: chosen ? { sort: chosen.sort, order: chosen.order } : {},
  };
}
