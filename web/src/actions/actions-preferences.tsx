// The table's preferences: page size, wrapped lines, striped rows, and the columns and their order.
import CollectionPreferences from '@cloudscape-design/components/collection-preferences';
import type { ActionTab } from '../api/client';
import {
  contentDisplayOptions,
  isTablePreferences,
  PAGE_SIZES,
  type TablePreferences,
} from './columns';

export function ActionsPreferences({
  tab,
  preferences,
  onChange,
}: {
  tab: ActionTab;
  preferences: TablePreferences;
  onChange(preferences: TablePreferences): void;
}) {
  return (
    <CollectionPreferences
      title="Preferences"
      confirmLabel="Confirm"
      cancelLabel="Cancel"
      preferences={preferences}
      onConfirm={({ detail }) => {
        const next = { ...preferences, ...detail } as TablePreferences;
        if (isTablePreferences(next)) onChange(next);
      }}
      pageSizePreference={{
        title: 'Actions per page load',
        options: PAGE_SIZES.map((value) => ({ value, label: `${value} actions` })),
      }}
      wrapLinesPreference={{ label: 'Wrap lines', description: 'Show long values in full' }}
      stripedRowsPreference={{ label: 'Striped rows' }}
      contentDisplayPreference={{
        title: 'Columns',
        description: 'Choose and order the columns; kept for your next visit.',
        options: contentDisplayOptions(tab),
      }}
    />
  );
}
