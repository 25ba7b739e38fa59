// What one tab shows: its column preferences (kept across visits), its property filter and the
// History window (kept for the browser session), and the list query they make together.
import type { PropertyFilterProps } from '@cloudscape-design/components/property-filter';
import { useMemo } from 'react';
import { HISTORY_WINDOWS, type HistoryWindow } from '../../../functions/api/schemas';
import type { ActionQuery, ActionTab } from '../api/client';
import { useStoredState } from '../common/hooks';
import {
  defaultPreferences,
  isTablePreferences,
  type TablePreferences,
  withKnownColumns,
} from './columns';
import { EMPTY_FILTER, filtersOf } from './filters';

const isFilterQuery = (v: unknown): v is PropertyFilterProps.Query =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as PropertyFilterProps.Query).tokens) &&
  ['and', 'or'].includes((v as PropertyFilterProps.Query).operation);
const isWindow = (v: unknown): v is HistoryWindow => typeof v === 'string' && v in HISTORY_WINDOWS;

export interface TabView {
  preferences: TablePreferences;
  setPreferences(preferences: TablePreferences): void;
  filter: PropertyFilterProps.Query;
  setFilter(filter: PropertyFilterProps.Query): void;
  historyWindow: HistoryWindow;
  setHistoryWindow(window: HistoryWindow): void;
  /** The API query of the filter and window. */
  query: ActionQuery;
  /** Filter tokens the API cannot apply, in words. */
  ignored: string[];
}

export function useTabView(tab: ActionTab): TabView {
  const [storedPreferences, setPreferences] = useStoredState<TablePreferences>(
    `actionCenter.columns.${tab}`,
    defaultPreferences(tab),
    isTablePreferences,
  );
  const preferences = useMemo(
    () => withKnownColumns(tab, storedPreferences),
    [tab, storedPreferences],
  );
  const [filter, setFilter] = useStoredState(
    `actionCenter.filter.${tab}`,
    EMPTY_FILTER,
    isFilterQuery,
    'session',
  );
  const [historyWindow, setHistoryWindow] = useStoredState<HistoryWindow>(
    'actionCenter.window',
    '7d',
    isWindow,
    'session',
  );
  const { filters, ignored } = filtersOf(filter);
  const query: ActionQuery = {
    tab,
    ...(tab === 'history' ? { window: historyWindow } : {}),
    ...filters,
  };
  return {
    preferences,
    setPreferences,
    filter,
    setFilter,
    historyWindow,
    setHistoryWindow,
    query,
    ignored,
  };
}
