// The property filter of the action tables and how its tokens become the API's list filters
// (several values of a property match any of them; free text searches the names).
import type { PropertyFilterProps } from '@cloudscape-design/components/property-filter';
import {
  ACTION_SOURCES,
  ACTION_STATUSES,
  ACTION_TYPES,
  CATEGORIES,
  SEVERITIES,
} from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import {
  ACTION_TYPE_LABELS,
  CATEGORY_LABELS,
  SEVERITY_LABELS,
  SOURCE_LABELS,
} from '../common/labels';
import type { FilterKey } from './filter-query';

const HISTORY_STATUSES = ACTION_STATUSES.filter((s) => s !== 'Pending');

const ENUMS: Record<Exclude<FilterKey, 'investigationId'>, Record<string, string>> = {
  category: Object.fromEntries(CATEGORIES.map((c) => [c, CATEGORY_LABELS[c]])),
  type: Object.fromEntries(ACTION_TYPES.map((t) => [t, ACTION_TYPE_LABELS[t]])),
  status: Object.fromEntries(HISTORY_STATUSES.map((s) => [s, s])),
  severity: Object.fromEntries(SEVERITIES.map((s) => [s, SEVERITY_LABELS[s]])),
  source: Object.fromEntries(ACTION_SOURCES.map((s) => [s, SOURCE_LABELS[s]])),
};

const PROPERTY_LABELS: Record<FilterKey, string> = {
  category: 'Category',
  type: 'Action type',
  status: 'Status',
  severity: 'Severity',
  source: 'Source',
  investigationId: 'Investigation ID',
};

const labelOf = (key: FilterKey, value: string): string =>
  key === 'investigationId' ? value : (ENUMS[key][value] ?? value);

/** Every pending action is Pending, so that tab offers no status filter. */
export function filteringProperties(tab: ActionTab): PropertyFilterProps.FilteringProperty[] {
  const keys: FilterKey[] = ['type', 'category', 'severity', 'source', 'investigationId'];
  if (tab === 'history') keys.splice(2, 0, 'status');
  return keys.map((key) => ({
    key,
    propertyLabel: PROPERTY_LABELS[key],
    groupValuesLabel: `${PROPERTY_LABELS[key]} values`,
    // Tokens show the value's label ("Critical"), not the API's value ("critical").
    operators: [{ operator: '=', format: (value: string) => labelOf(key, value) }],
  }));
}

export function filteringOptions(tab: ActionTab): PropertyFilterProps.FilteringOption[] {
  return Object.entries(ENUMS)
    .filter(([key]) => tab === 'history' || key !== 'status')
    .flatMap(([key, values]) =>
      Object.entries(values).map(([value, label]) => ({ propertyKey: key, value, label })),
    );
}

export const EMPTY_FILTER: PropertyFilterProps.Query = { tokens: [], operation: 'and' };

export { type FilterResult, filtersOf } from './filter-query';
