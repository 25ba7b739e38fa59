// How the property filter's tokens become the API's list filters: tokens of one property match
// any of their values (sent joined by commas, `severity=critical,high`), different properties all
// apply, and free text searches names, mailbox, alert title, investigation id and asset group.
// Imports only the API's schemas, so the unit tests run it under Node.
import type { PropertyFilterProps } from '@cloudscape-design/components/property-filter';
import {
  ACTION_SOURCES,
  ACTION_STATUSES,
  ACTION_TYPES,
  CATEGORIES,
  SEVERITIES,
} from '../../../functions/api/schemas.js';

export type FilterKey = 'category' | 'type' | 'status' | 'severity' | 'source' | 'investigationId';

const LABELS: Record<FilterKey, string> = {
  category: 'Category',
  type: 'Action type',
  status: 'Status',
  severity: 'Severity',
  source: 'Source',
  investigationId: 'Investigation ID',
};

const ALLOWED: Record<Exclude<FilterKey, 'investigationId'>, readonly string[]> = {
  category: CATEGORIES,
  type: ACTION_TYPES,
  status: ACTION_STATUSES,
  severity: SEVERITIES,
  source: ACTION_SOURCES,
};

export interface FilterResult {
  /** The query string's filters, several values of one joined by commas. */
  filters: Partial<Record<FilterKey | 'q', string>>;
  /** Tokens the API cannot apply, in words. */
  ignored: string[];
}

/** The most values the API takes for one property. */
const MAX_VALUES = 20;

export function filtersOf(query: PropertyFilterProps.Query): FilterResult {
  const values: Partial<Record<FilterKey, string[]>> = {};
  const ignored: string[] = [];
  const text: string[] = [];
  for (const token of query.tokens) {
    const given: unknown[] = Array.isArray(token.value) ? token.value : [token.value];
    for (const value of given.map((v) => String(v ?? '').trim()).filter((v) => v !== '')) {
      if (!token.propertyKey) {
        text.push(value);
        continue;
      }
      const key = token.propertyKey as FilterKey;
      const label = LABELS[key] ?? token.propertyKey;
      const allowed = key === 'investigationId' ? undefined : ALLOWED[key];
      const kept = values[key] ?? [];
      if (!(key in LABELS)) {
        ignored.push(`${label} = ${value} (not a filter)`);
      } else if (token.operator !== '=') {
        ignored.push(`${label} ${token.operator} ${value} (only "=" is supported)`);
      } else if (allowed && !allowed.includes(value)) {
        ignored.push(`${label} = ${value} (not a known value)`);
      } else if (kept.length >= MAX_VALUES) {
        ignored.push(`${label} = ${value} (at most ${MAX_VALUES} values)`);
      } else if (!kept.includes(value)) {
        values[key] = [...kept, value];
      }
    }
  }
  const filters: FilterResult['filters'] = Object.fromEntries(
    Object.entries(values).map(([key, list]) => [key, list.join(',')]),
  );
  if (text.length > 0) filters.q = text.join(' ');
  return { filters, ignored };
}
