// One investigation: status, severity, the alert, the evidence with verdicts, the actions it
// proposed with their statuses, its timeline and how long it waited for approval.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import { type ReactNode, useEffect, useState } from 'react';
import type { InvestigationDetail } from '../../../functions/api/schemas';
import { InvestigationStatusIndicator, SeverityIndicator } from '../common/indicators';
import { formatDuration, formatTime } from '../common/labels';
import { hrefOf } from '../common/route';
import { Shell } from '../common/shell';
import { AlertOriginView } from './alert-origin';
import { ActionsTable, EvidenceTable, TimelineTable } from './investigation-tables';
import { type ProposalStart, ProposeAction } from './propose-action';
import { useInvestigation } from './use-investigation';

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
              <InvestigationStatusIndicator status={inv.status} testId="investigation-status" />
            ),
          },
          {
            label: 'Severity',
            value: <SeverityIndicator severity={inv.severity} />,
          },
          { label: 'Detection source', value: inv.detectionSource },
          {
            label: 'Total pending time',
            info: undefined,
            value: <span data-testid="pending-time">{formatDuration(inv.pendingSeconds)}</span>,
          },
          { label: 'Alert', value: <span data-testid="alert-title">{inv.title}</span> },
          { label: 'Alert ID', value: inv.alertIds.join(', ') },
          ...(inv.origin
            ? [{ label: 'Alert source', value: <AlertOriginView origin={inv.origin} /> }]
            : []),
          ...(inv.noActionReason
            ? [
                {
                  label: 'Why no action',
                  value: <span data-testid="no-action-reason">{inv.noActionReason}</span>,
                },
              ]
            : []),
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

export function InvestigationPage({ id }: { id: string }) {
  const { detail, loading, error, reload } = useInvestigation(id);
  // A proposal started from the evidence: the form is mounted again, filled in, and brought into view.
  const [start, setStart] = useState<{ key: number; proposal: ProposalStart }>();
  useEffect(() => {
    if (start) document.querySelector('[data-testid="propose-action"]')?.scrollIntoView();
  }, [start]);
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
        <EvidenceTable
          evidence={detail.evidence}
          onPropose={(proposal) => setStart({ key: (start?.key ?? 0) + 1, proposal })}
        />
        <ActionsTable actions={detail.actions} />
        <ProposeAction
          key={start?.key ?? 0}
          investigationId={detail.investigation.id}
          onProposed={reload}
          {...(start && { start: start.proposal })}
        />
        <TimelineTable timeline={detail.timeline} actions={detail.actions} />
      </SpaceBetween>
    );
  }
  return (
    <Shell
      activeHref={hrefOf.investigations()}
      breadcrumbs={[
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
