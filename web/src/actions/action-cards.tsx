// The list at phone width: one card per action with what a decision needs at a glance (type,
// target, severity, expiry) and a button that opens its details; the table does not fit there.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Cards from '@cloudscape-design/components/cards';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ReactNode } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import { ActionStatusIndicator, SeverityIndicator } from '../common/indicators';
import { ACTION_TYPE_LABELS, TAB_LABELS, timeLeft } from '../common/labels';
import { truncateMiddle } from '../common/truncate';

/** About what a card's width shows of a target at 390 px. */
const TARGET_CHARS = 32;

export function ActionCards({
  tab,
  items,
  now,
  loading,
  selected,
  onSelect,
  onOpen,
  header,
  filter,
  empty,
  footer,
}: {
  tab: ActionTab;
  items: readonly Action[];
  now: number;
  loading: boolean;
  selected: readonly Action[];
  onSelect(items: Action[]): void;
  onOpen(action: Action): void;
  header: ReactNode;
  filter: ReactNode;
  empty: ReactNode;
  footer: ReactNode;
}) {
  const label = (a: Action) => `${ACTION_TYPE_LABELS[a.type]} on ${a.target.displayName}`;
  return (
    <SpaceBetween size="m">
      <Cards
        data-testid="actions-cards"
        items={items}
        trackBy="id"
        variant="full-page"
        stickyHeader
        loading={loading}
        loadingText={`Loading ${tab === 'pending' ? 'pending actions' : 'history'}`}
        selectionType="multi"
        selectedItems={[...selected]}
        onSelectionChange={({ detail }) => onSelect(detail.selectedItems)}
        ariaLabels={{
          selectionGroupLabel: 'Actions',
          itemSelectionLabel: (_, a) => `Select ${label(a)}`,
          cardsLabel: `${TAB_LABELS[tab]} actions`,
        }}
        cardsPerRow={[{ cards: 1 }]}
        header={header}
        filter={filter}
        empty={empty}
        cardDefinition={{
          header: (a) => ACTION_TYPE_LABELS[a.type],
          sections: [
            {
              id: 'target',
              header: 'Target',
              content: (a) => (
                <span title={a.target.displayName}>
                  {truncateMiddle(a.target.displayName, TARGET_CHARS)}
                </span>
              ),
            },
            {
              id: 'severity',
              header: 'Severity',
              width: 50,
              content: (a) => (
                <SeverityIndicator severity={a.severity} iconAriaLabel={a.severity} />
              ),
            },
            tab === 'pending'
              ? {
                  id: 'expires',
                  header: 'Expires',
                  width: 50,
                  content: (a) => timeLeft(a.expiresAt, now),
                }
              : {
                  id: 'status',
                  header: 'Status',
                  width: 50,
                  content: (a) => <ActionStatusIndicator status={a.status} />,
                },
            {
              id: 'open',
              content: (a) => (
                <Box float="right">
                  <Button
                    onClick={() => onOpen(a)}
                    ariaLabel={`Details of ${label(a)}`}
                    data-testid="card-details"
                  >
                    Details
                  </Button>
                </Box>
              ),
            },
          ],
        }}
      />
      {footer}
    </SpaceBetween>
  );
}
