// The tables of the investigation page: the evidence with verdicts, the actions proposed with
// their statuses, and the timeline.
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Table from '@cloudscape-design/components/table';
import type { Action, Entity, TimelineEvent } from '../../../functions/api/schemas';
import { ActionStatusIndicator, VerdictIndicator } from '../common/indicators';
import { ACTION_TYPE_LABELS, ENTITY_KIND_LABELS, formatExactTime } from '../common/labels';
import { hrefOf } from '../common/route';
import { truncateMiddle } from '../common/truncate';
import { type ProposalStart, proposalFor } from './propose-action';

const eventLabel = (event: string) => event.replace(/([a-z])([A-Z])/g, '$1 $2');

export function EvidenceTable({
  evidence,
  onPropose,
}: {
  evidence: Entity[];
  /** Opens "Propose action" filled in for the entity's device or mailbox. */
  onPropose?: (start: ProposalStart) => void;
}) {
  return (
    <Table
      data-testid="evidence-table"
      header={
        <Header
          variant="h2"
          counter={`(${evidence.length})`}
          description="The alert's entities and what the investigation concluded about each."
        >
          Evidence
        </Header>
      }
      items={evidence}
      trackBy={(e) => `${e.kind}:${e.id}`}
      wrapLines
      columnDefinitions={[
        {
          id: 'name',
          header: 'Entity',
          cell: (e) => (
            <span title={e.displayName ?? e.id}>{truncateMiddle(e.displayName ?? e.id, 60)}</span>
          ),
          isRowHeader: true,
        },
        { id: 'kind', header: 'Kind', cell: (e) => ENTITY_KIND_LABELS[e.kind] },
        {
          id: 'verdict',
          header: 'Verdict',
          cell: (e) => <VerdictIndicator verdict={e.verdict} />,
        },
        {
          id: 'where',
          header: 'Device or mailbox',
          cell: (e) => e.deviceId ?? e.mailbox ?? e.clusterId ?? '-',
        },
        {
          id: 'id',
          header: 'Identifier',
          cell: (e) => (
            <Box variant="code" fontSize="body-s">
              {e.id}
            </Box>
          ),
        },
        ...(onPropose
          ? [
              {
                id: 'propose',
                header: 'Manual action',
                cell: (e: Entity) => {
                  const start = proposalFor(e);
                  return start ? (
                    <Button
                      variant="inline-link"
                      ariaLabel={`Propose action on ${start.name}`}
                      onClick={() => onPropose(start)}
                    >
                      Propose action
                    </Button>
                  ) : (
                    '-'
                  );
                },
              },
            ]
          : []),
      ]}
      empty={<Box textAlign="center">No evidence recorded.</Box>}
    />
  );
}

export function ActionsTable({ actions }: { actions: Action[] }) {
  return (
    <Table
      data-testid="investigation-actions"
      header={
        <Header variant="h2" counter={`(${actions.length})`}>
          Actions
        </Header>
      }
      items={actions}
      trackBy="id"
      columnDefinitions={[
        {
          id: 'target',
          header: 'Target',
          isRowHeader: true,
          cell: (a) => <Link href={hrefOf.action(a.id)}>{a.target.displayName}</Link>,
        },
        { id: 'type', header: 'Action type', cell: (a) => ACTION_TYPE_LABELS[a.type] },
        {
          id: 'status',
          header: 'Status',
          cell: (a) => <ActionStatusIndicator status={a.status} />,
        },
        { id: 'by', header: 'Decided by', cell: (a) => a.decision?.by ?? '-' },
        { id: 'result', header: 'Result', cell: (a) => a.result?.outcome ?? '-' },
      ]}
      empty={<Box textAlign="center">This investigation proposed no actions.</Box>}
    />
  );
}

export function TimelineTable({
  timeline,
  actions,
}: {
  timeline: TimelineEvent[];
  actions: Action[];
}) {
  const byId = new Map(actions.map((a) => [a.id, a]));
  return (
    <Table
      data-testid="timeline"
      header={<Header variant="h2">Timeline</Header>}
      items={timeline}
      trackBy={(e) => `${e.at}-${e.event}-${e.actionId ?? ''}`}
      columnDefinitions={[
        { id: 'at', header: 'Time', cell: (e) => formatExactTime(e.at) },
        { id: 'event', header: 'Event', cell: (e) => eventLabel(e.event) },
        {
          id: 'action',
          header: 'Action',
          cell: (e) => {
            const a = e.actionId ? byId.get(e.actionId) : undefined;
            return a ? `${ACTION_TYPE_LABELS[a.type]} on ${a.target.displayName}` : '-';
          },
        },
        { id: 'by', header: 'By', cell: (e) => e.by ?? '-' },
      ]}
    />
  );
}
