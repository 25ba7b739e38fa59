// The header of a tab's table: its title and count, refresh, Export CSV, and for users who may
// decide the bulk Approve and Reject of the selected actions on Pending, their Undo on History.
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ActionTab, Decision } from '../api/client';
import { mayDecideAny, useSession } from '../auth/session-context';
import type { ActionList } from './use-action-list';
import type { CsvExport } from './use-csv-export';

const BULK_BUTTONS = [
  { decision: 'reject', label: 'Reject', variant: 'normal' },
  { decision: 'approve', label: 'Approve', variant: 'primary' },
] as const;

/** The whole list's count, "92", or "10,000+" past what the API counts. */
export function totalText(list: Pick<ActionList, 'total' | 'totalIsLowerBound'>): string {
  return `${list.total.toLocaleString('en-US')}${list.totalIsLowerBound ? '+' : ''}`;
}

export function ActionsHeader({
  tab,
  list,
  selectedCount,
  csv,
  blocker,
  onDecide,
}: {
  tab: ActionTab;
  list: ActionList;
  selectedCount: number;
  csv: CsvExport;
  /** Why the selection cannot be decided together, if it cannot. */
  blocker: string | undefined;
  onDecide(decision: Decision): void;
}) {
  const { me } = useSession();
  const loaded = list.items.length;
  const total = totalText(list);
  return (
    <Header
      variant="awsui-h1-sticky"
      counter={selectedCount > 0 ? `(${selectedCount}/${total})` : `(${total})`}
      description={
        tab === 'pending'
          ? 'Remediation proposed by automated investigations, waiting for a decision. Pending actions expire after 7 days.'
          : 'Decided and finished actions in the chosen window.'
      }
      actions={
        <SpaceBetween direction="horizontal" size="xs">
          <Button
            iconName="refresh"
            ariaLabel="Refresh"
            loading={list.loading && loaded > 0}
            onClick={list.refresh}
            data-testid="refresh"
          />
          <Button
            iconName="download"
            loading={csv.exporting}
            onClick={csv.exportCsv}
            data-testid="export-csv"
          >
            Export CSV
          </Button>
          {tab === 'pending' && mayDecideAny(me)
            ? BULK_BUTTONS.map(({ decision, label, variant }) => (
                <Button
                  key={decision}
                  variant={variant}
                  disabled={blocker !== undefined}
                  disabledReason={blocker}
                  onClick={() => onDecide(decision)}
                  data-testid={`bulk-${decision}`}
                >
                  {label}
                </Button>
              ))
            : null}
          {tab === 'history' && mayDecideAny(me) ? (
            <Button
              iconName="undo"
              disabled={blocker !== undefined}
              disabledReason={blocker}
              onClick={() => onDecide('undo')}
              data-testid="bulk-undo"
            >
              {selectedCount > 0
                ? `Undo ${selectedCount} action${selectedCount === 1 ? '' : 's'}`
                : 'Undo'}
            </Button>
          ) : null}
        </SpaceBetween>
      }
    >
      {tab === 'pending' ? 'Pending actions' : 'Action history'}
    </Header>
  );
}
