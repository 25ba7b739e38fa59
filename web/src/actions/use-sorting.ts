// Sorting the loaded actions by a column: its comparator, else its field as text.
import type { TableProps } from '@cloudscape-design/components/table';
import { useMemo, useState } from 'react';
import type { Action } from '../../../functions/api/schemas';

export interface Sorting {
  sorting?: TableProps.SortingState<Action>;
  setSorting(sorting: TableProps.SortingState<Action>): void;
  sortedItems: Action[];
}

export function useSorting(items: Action[]): Sorting {
  const [sorting, setSorting] = useState<TableProps.SortingState<Action>>();
  const sortedItems = useMemo(() => {
    const column = sorting?.sortingColumn;
    if (!column) return items;
    const compare =
      column.sortingComparator ??
      ((x: Action, y: Action) => {
        const key = column.sortingField as keyof Action | undefined;
        return String(key ? x[key] : '').localeCompare(String(key ? y[key] : ''));
      });
    const sorted = [...items].sort(compare);
    return sorting?.isDescending ? sorted.reverse() : sorted;
  }, [items, sorting]);
  return { sorting, setSorting, sortedItems };
}
