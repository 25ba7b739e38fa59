// The property filter of the action tables and how its tokens become the API's list filters
// (one value per property; free text searches the target name).
import type { PropertyFilterProps } from '@cloudscape-design/components/property-filter';
import {
  ACTION_SOURCES,
  ACTION_STATUSES,
  ACTION_TYPES,
  CATEGORIES,
  SEVERITIES,
} from '../../../functions/api/schemas';
import type { ActionQuery, ActionTab } from '../api/client';
import {
  ACTION_TYPE_LABELS,
  CATEGORY_LABELS,
  SEVERITY_LABELS,
  SOURCE_LABELS,
} from '../common/labels';

type FilterKey = 'category' | 'type' | 'status' | 'severity' | 'source' | 'investigationId';

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

export interface FilterResult {
  filters: Omit<ActionQuery, 'tab' | 'window'>;
  /** Tokens the API cannot apply, in words. */
  ignored: string[];
}

export function filtersOf(query: PropertyFilterProps.Query): FilterResult {
  const filters: Record<string, string> = {};
  const ignored: string[] = [];
  const text: string[] = [];
  for (const token of query.tokens) {
    const value = String(token.value ?? '').trim();
    if (!value) continue;
    if (!token.propertyKey) {
      text.push(value);
      continue;
    }
    const key = token.propertyKey as FilterKey;
    const label = PROPERTY_LABELS[key] ?? token.propertyKey;
    const allowed = key === 'investigationId' ? undefined : ENUMS[key];
    if (token.operator !== '=') {
      ignored.push(`${label} ${token.operator} ${value} (only "=" is supported)`);
    } else if (allowed && !(value in allowed)) {
      ignored.push(`${label} = ${value} (not a known value)`);
    } else if (filters[key] !== undefined) {
      ignored.push(`${label} = ${value} (one ${label.toLowerCase()} at a time)`);
    } else {
      filters[key] = value;
    }
  }
  if (text.length > 0) filters.q = text.join(' ');
  return { filters: filters as FilterResult['filters'], ignored };
}
