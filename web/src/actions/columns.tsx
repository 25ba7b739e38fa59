// The columns of the Pending and History tables and the preferences a user keeps across visits.
// A sortable column's `sortingField` is the API's `sort`: the API orders the whole list.
import Box from '@cloudscape-design/components/box';
import type { CollectionPreferencesProps } from '@cloudscape-design/components/collection-preferences';
import Link from '@cloudscape-design/components/link';
import type { TableProps } from '@cloudscape-design/components/table';
import type { Action } from '../../../functions/api/schemas';
import { assetNameOf } from '../../../functions/core/action-order';
import type { ActionTab } from '../api/client';
import { ActionStatusIndicator, SeverityIndicator } from '../common/indicators';
import {
  ACTION_TYPE_LABELS,
  CATEGORY_LABELS,
  formatTime,
  SOURCE_LABELS,
  timeLeft,
} from '../common/labels';
import { hrefOf } from '../common/route';
import { truncateMiddle } from '../common/truncate';

/** About what the Target column's width shows: longer paths lose their middle, not their name. */
const TARGET_CHARS = 28;

export function actionColumns(
  tab: ActionTab,
  now: number,
  open: (action: Action) => void,
): TableProps.ColumnDefinition<Action>[] {
  const columns: (TableProps.ColumnDefinition<Action> & { tabs?: ActionTab[] })[] = [
    {
      id: 'target',
      width: 250,
      minWidth: 160,
      header: 'Target',
      isRowHeader: true,
      cell: (a) => (
        <Link
          href={hrefOf.action(a.id)}
          onFollow={(event) => {
            event.preventDefault();
            open(a);
          }}
          ariaLabel={`Details of ${ACTION_TYPE_LABELS[a.type]} on ${a.target.displayName}`}
        >
          <span title={a.target.displayName}>
            {truncateMiddle(a.target.displayName, TARGET_CHARS)}
          </span>
        </Link>
      ),
      sortingField: 'target',
    },
    {
      id: 'type',
      width: 200,
      header: 'Action type',
      cell: (a) => ACTION_TYPE_LABELS[a.type],
      sortingField: 'type',
    },
    {
      id: 'status',
      width: 130,
      header: 'Status',
      cell: (a) => <ActionStatusIndicator status={a.status} />,
    },
    {
      id: 'severity',
      width: 130,
      header: 'Severity',
      cell: (a) => <SeverityIndicator severity={a.severity} iconAriaLabel={a.severity} />,
      sortingField: 'severity',
    },
    {
      id: 'category',
      width: 110,
      header: 'Category',
      cell: (a) => CATEGORY_LABELS[a.category],
    },
    {
      id: 'asset',
      width: 190,
      header: 'Asset',
      cell: (a) => {
        const asset = assetNameOf(a);
        return <span title={asset}>{truncateMiddle(asset, TARGET_CHARS)}</span>;
      },
    },
    {
      id: 'investigation',
      width: 200,
      header: 'Investigation',
      cell: (a) => (
        <Link href={hrefOf.investigation(a.investigationId)}>
          <Box variant="code" fontSize="body-s">
            {a.investigationId}
          </Box>
        </Link>
      ),
    },
    {
      id: 'source',
      width: 180,
      header: 'Source',
      cell: (a) => SOURCE_LABELS[a.source],
    },
    {
      id: 'createdAt',
      width: 130,
      header: 'Proposed',
      cell: (a) => formatTime(a.createdAt),
      sortingField: 'age',
    },
    {
      id: 'expiresAt',
      width: 130,
      header: 'Expires',
      cell: (a) => timeLeft(a.expiresAt, now),
      sortingField: 'expiry',
      tabs: ['pending'],
    },
    {
      id: 'decidedBy',
      width: 170,
      header: 'Decided by',
      cell: (a) => a.decision?.by ?? '-',
      tabs: ['history'],
    },
    {
      id: 'decidedAt',
      width: 130,
      header: 'Decided at',
      cell: (a) => formatTime(a.decision?.at),
      sortingField: 'decidedAt',
      tabs: ['history'],
    },
    {
      id: 'result',
      width: 150,
      header: 'Result',
      cell: (a) => a.result?.outcome ?? '-',
      tabs: ['history'],
    },
    {
      id: 'updatedAt',
      width: 130,
      header: 'Last update',
      cell: (a) => formatTime(a.updatedAt),
      tabs: ['history'],
    },
  ];
  return columns
    .filter((c) => !c.tabs || c.tabs.includes(tab))
    .map(({ tabs: _tabs, ...column }) => column);
}

const DEFAULT_VISIBLE: Record<ActionTab, string[]> = {
  pending: ['target', 'type', 'severity', 'asset', 'createdAt', 'expiresAt'],
  history: ['target', 'type', 'status', 'severity', 'asset', 'decidedBy', 'decidedAt', 'result'],
};

export type TablePreferences = Required<
  Pick<CollectionPreferencesProps.Preferences, 'pageSize' | 'wrapLines' | 'stripedRows'>
> & { contentDisplay: readonly CollectionPreferencesProps.ContentDisplayItem[] };

export const PAGE_SIZES = [25, 50, 100, 200];

export function defaultPreferences(tab: ActionTab): TablePreferences {
  const columns = actionColumns(tab, 0, () => {});
  return {
    pageSize: 50,
    wrapLines: false,
    stripedRows: false,
    contentDisplay: columns.map((c) => ({
      id: c.id ?? '',
      visible: DEFAULT_VISIBLE[tab].includes(c.id ?? ''),
    })),
  };
}

export function isTablePreferences(value: unknown): value is TablePreferences {
  const v = value as Partial<TablePreferences> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.pageSize === 'number' &&
    PAGE_SIZES.includes(v.pageSize) &&
    typeof v.wrapLines === 'boolean' &&
    typeof v.stripedRows === 'boolean' &&
    Array.isArray(v.contentDisplay) &&
    v.contentDisplay.every((c) => typeof c?.id === 'string' && typeof c?.visible === 'boolean')
  );
}

/** Stored preferences with columns added since they were saved appended, and gone ones dropped. */
export function withKnownColumns(tab: ActionTab, stored: TablePreferences): TablePreferences {
  const defaults = defaultPreferences(tab).contentDisplay;
  const known = new Set(defaults.map((c) => c.id));
  const kept = stored.contentDisplay.filter((c) => known.has(c.id));
  const keptIds = new Set(kept.map((c) => c.id));
  return { ...stored, contentDisplay: [...kept, ...defaults.filter((c) => !keptIds.has(c.id))] };
}

export function contentDisplayOptions(tab: ActionTab) {
  return actionColumns(tab, 0, () => {}).map((c) => ({
    id: c.id ?? '',
    label: String(c.header),
    alwaysVisible: c.id === 'target',
  }));
}
