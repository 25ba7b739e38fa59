// One investigation: status, severity, the alert, the evidence with verdicts, the actions it
// proposed with their statuses, its timeline and how long it waited for approval.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { ReactNode } from 'react';
import type {
  Action,
  Entity,
  InvestigationDetail,
  TimelineEvent,
} from '../../../functions/api/schemas';
import {
  ACTION_STATUS_INDICATORS,
  ACTION_TYPE_LABELS,
  formatDuration,
  formatExactTime,
  formatTime,
  INVESTIGATION_STATUS_INDICATORS,
  INVESTIGATION_STATUS_LABELS,
  SEVERITY_INDICATORS,
  SEVERITY_LABELS,
  VERDICT_INDICATORS,
  VERDICT_LABELS,
} from '../common/labels';
import { hrefOf } from '../common/route';
import { Shell } from '../common/shell';
import { useInvestigation } from './use-investigation';

const eventLabel = (event: string) => event.replace(/([a-z])([A-Z])/g, '$1 $2');

function Overview({ detail }: { detail: InvestigationDetail }) {
  const { investigation: inv } = detail;
  const c = inv.counts;
  return (
    <Container header={<Header variant="h2">Overview</Header>}>
      <KeyValuePairs
        columns={4}
        items={[
          {
            label: 'Status',
            value: (
              <StatusIndicator type={INVESTIGATION_STATUS_INDICATORS[inv.status]}>
                <span data-testid="investigation-status">
                  {INVESTIGATION_STATUS_LABELS[inv.status]}
                </span>
              </StatusIndicator>
            ),
          },
          {
            label: 'Severity',
            value: (
              <StatusIndicator type={SEVERITY_INDICATORS[inv.severity]}>
                {SEVERITY_LABELS[inv.severity]}
              </StatusIndicator>
            ),
          },
          { label: 'Detection source', value: inv.detectionSource },
          {
            label: 'Total pending time',
            info: undefined,
            value: <span data-testid="pending-time">{formatDuration(inv.pendingSeconds)}</span>,
          },
          { label: 'Alert', value: <span data-testid="alert-title">{inv.title}</span> },
          { label: 'Alert ID', value: inv.alertIds.join(', ') },
          { label: 'Started', value: formatTime(inv.createdAt) },
          { label: 'Ended', value: inv.endedAt ? formatTime(inv.endedAt) : 'Not yet' },
          {
            label: 'Actions',
            value: `${c.actions} proposed: ${c.pending} pending, ${c.completed} completed, ${c.rejected} rejected`,
          },
          {
            label: 'Other outcomes',
            value: `${c.expired} expired, ${c.failed} failed, ${c.skipped} skipped`,
          },
          {
            label: 'Investigation ID',
            value: (
              <Box variant="code" fontSize="body-s">
                {inv.id}
              </Box>
            ),
          },
        ]}
      />
    </Container>
  );
}

function EvidenceTable({ evidence }: { evidence: Entity[] }) {
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
        { id: 'name', header: 'Entity', cell: (e) => e.displayName ?? e.id, isRowHeader: true },
        { id: 'kind', header: 'Kind', cell: (e) => e.kind },
        {
          id: 'verdict',
          header: 'Verdict',
          cell: (e) => (
            <StatusIndicator type={VERDICT_INDICATORS[e.verdict]}>
              {VERDICT_LABELS[e.verdict]}
            </StatusIndicator>
          ),
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
      ]}
      empty={<Box textAlign="center">No evidence recorded.</Box>}
    />
  );
}

function ActionsTable({ actions }: { actions: Action[] }) {
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
          cell: (a) => (
            <StatusIndicator type={ACTION_STATUS_INDICATORS[a.status]}>{a.status}</StatusIndicator>
          ),
        },
        { id: 'by', header: 'Decided by', cell: (a) => a.decision?.by ?? '-' },
        { id: 'result', header: 'Result', cell: (a) => a.result?.outcome ?? '-' },
      ]}
      empty={<Box textAlign="center">This investigation proposed no actions.</Box>}
    />
  );
}

function TimelineTable({ timeline, actions }: { timeline: TimelineEvent[]; actions: Action[] }) {
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

export function InvestigationPage({ id }: { id: string }) {
  const { detail, loading, error, reload } = useInvestigation(id);
  let content: ReactNode;
  if (error) {
    content = (
      <Alert
        type="error"
        header={
          error.status === 404 ? 'Investigation not found' : 'Could not load the investigation'
        }
        action={<Button onClick={reload}>Retry</Button>}
      >
        {error.message}
      </Alert>
    );
  } else if (!detail) {
    content = (
      <Box textAlign="center" padding="xxl">
        <Spinner size="large" /> <Box variant="span">Loading investigation</Box>
      </Box>
    );
  } else {
    content = (
      <SpaceBetween size="l">
        <Overview detail={detail} />
        <EvidenceTable evidence={detail.evidence} />
        <ActionsTable actions={detail.actions} />
        <TimelineTable timeline={detail.timeline} actions={detail.actions} />
      </SpaceBetween>
    );
  }
  return (
    <Shell
      activeHref={hrefOf.investigations()}
      breadcrumbs={[
        { text: 'Action Center', href: hrefOf.tab('pending') },
        { text: 'Investigations', href: hrefOf.investigations() },
        { text: id, href: hrefOf.investigation(id) },
      ]}
      content={
        <ContentLayout
          header={
            <Header
              variant="h1"
              description={detail ? `Investigation ${detail.investigation.id}` : undefined}
              actions={
                <Button iconName="refresh" ariaLabel="Refresh" loading={loading} onClick={reload} />
              }
            >
              {detail ? detail.investigation.title : 'Investigation'}
            </Header>
          }
        >
          {content}
        </ContentLayout>
      }
    />
  );
}
