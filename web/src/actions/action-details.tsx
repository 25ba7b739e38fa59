// The details of one action in the split panel: target, evidence and verdict, investigation,
// expiry countdown, decision history, and the decisions the signed-in user may take.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { Action, Entity, TimelineEvent } from '../../../functions/api/schemas';
import type { Decision } from '../api/client';
import { mayDecide, useSession } from '../auth/session-context';
import { useNow } from '../common/hooks';
import {
  ACTION_STATUS_INDICATORS,
  CATEGORY_LABELS,
  expiryText,
  formatExactTime,
  formatTime,
  INVESTIGATION_STATUS_INDICATORS,
  INVESTIGATION_STATUS_LABELS,
  SEVERITY_INDICATORS,
  SEVERITY_LABELS,
  SOURCE_LABELS,
  VERDICT_INDICATORS,
  VERDICT_LABELS,
} from '../common/labels';
import { hrefOf } from '../common/route';
import type { InvestigationState } from '../investigations/use-investigation';
import type { DecisionFailure } from './decision-errors';

function evidenceOf(action: Action, evidence: readonly Entity[] | undefined): Entity | undefined {
  return evidence?.find((e) => e.kind === action.target.kind && e.id === action.target.id);
}

function Countdown({ action }: { action: Action }) {
  const now = useNow(1000);
  if (action.status !== 'Pending') {
    return <StatusIndicator type="stopped">Expired {formatTime(action.expiresAt)}</StatusIndicator>;
  }
  const left = Date.parse(action.expiresAt) - now;
  return (
    <StatusIndicator type={left > 0 ? (left < 3_600_000 ? 'warning' : 'pending') : 'stopped'}>
      <span data-testid="expiry-countdown">{expiryText(action.expiresAt, now)}</span>
      {left > 0 ? ` (${formatTime(action.expiresAt)})` : ''}
    </StatusIndicator>
  );
}

/** The action's own history: proposed, decided, finished; from the investigation timeline. */
function historyOf(
  action: Action,
  timeline: readonly TimelineEvent[] | undefined,
): TimelineEvent[] {
  const events = timeline?.filter((e) => e.actionId === action.id) ?? [];
  if (events.length > 0) return events;
  const fallback: TimelineEvent[] = [
    { at: action.createdAt, event: 'ActionProposed', status: 'Pending' },
  ];
  if (action.decision) {
    fallback.push({
      at: action.decision.at,
      event: action.status === 'Rejected' ? 'ActionRejected' : 'ActionApproved',
      status: action.status === 'Rejected' ? 'Rejected' : 'Approved',
      by: action.decision.by,
    });
  }
  return fallback;
}

const eventLabel = (event: string) =>
  event.replace(/^Action/, '').replace(/([a-z])([A-Z])/g, '$1 $2');

export function ActionDetails({
  action,
  investigation,
  failure,
  onDismissFailure,
  onDecide,
}: {
  action: Action;
  investigation: InvestigationState;
  failure?: DecisionFailure;
  onDismissFailure(): void;
  onDecide(decision: Decision): void;
}) {
  const { me } = useSession();
  const detail = investigation.detail;
  const entity = evidenceOf(action, detail?.evidence);
  const allowed = mayDecide(me, action.category);
  const decidable = action.status === 'Pending';
  const undoable = action.status === 'Completed' && action.undoable;
  const history = historyOf(action, detail?.timeline);

  return (
    <SpaceBetween size="l">
      {failure ? (
        <Alert
          type={failure.header === 'Action expired' ? 'warning' : 'error'}
          header={failure.header}
          dismissible
          onDismiss={onDismissFailure}
          data-testid="decision-failure"
        >
          {failure.message}
        </Alert>
      ) : null}

      {allowed && (decidable || undoable) ? (
        <SpaceBetween direction="horizontal" size="xs">
          {decidable ? (
            <>
              <Button onClick={() => onDecide('reject')} data-testid="details-reject">
                Reject
              </Button>
              <Button
                variant="primary"
                onClick={() => onDecide('approve')}
                data-testid="details-approve"
              >
                Approve
              </Button>
            </>
          ) : (
            <Button iconName="undo" onClick={() => onDecide('undo')} data-testid="details-undo">
              Undo
            </Button>
          )}
        </SpaceBetween>
      ) : null}
      {!allowed && (decidable || undoable) ? (
        <Box color="text-body-secondary" data-testid="read-only-note">
          You can view this action, but deciding {CATEGORY_LABELS[action.category].toLowerCase()}{' '}
          actions needs another role.
        </Box>
      ) : null}

      <ColumnLayout columns={3} variant="text-grid">
        <KeyValuePairs
          ariaLabel="Action"
          items={[
            {
              label: 'Status',
              value: (
                <StatusIndicator type={ACTION_STATUS_INDICATORS[action.status]}>
                  <span data-testid="details-status">{action.status}</span>
                </StatusIndicator>
              ),
            },
            {
              label: 'Severity',
              value: (
                <StatusIndicator type={SEVERITY_INDICATORS[action.severity]}>
                  {SEVERITY_LABELS[action.severity]}
                </StatusIndicator>
              ),
            },
            {
              label: 'Proposed',
              value: `${formatTime(action.createdAt)} by ${SOURCE_LABELS[action.source].toLowerCase()}`,
            },
            ...(action.status === 'Pending' || action.status === 'Expired'
              ? [{ label: 'Expiry', value: <Countdown action={action} /> }]
              : []),
            ...(action.decision
              ? [
                  {
                    label: action.decision.automated ? 'Decided automatically' : 'Decided by',
                    value: `${action.decision.by}, ${formatTime(action.decision.at)}`,
                  },
                ]
              : []),
            ...(action.result
              ? [
                  {
                    label: 'Result',
                    value: `${action.result.outcome}, ${formatTime(action.result.at)}`,
                  },
                ]
              : []),
          ]}
        />
        <KeyValuePairs
          ariaLabel="Target"
          items={[
            {
              label: 'Target',
              value: `${action.target.displayName} (${action.target.kind})`,
            },
            {
              label: 'Identifier',
              value: (
                <Box variant="code" fontSize="body-s">
                  {action.target.id}
                </Box>
              ),
            },
            ...(action.target.deviceId ? [{ label: 'Device', value: action.target.deviceId }] : []),
            ...(action.target.mailbox ? [{ label: 'Mailbox', value: action.target.mailbox }] : []),
            ...(action.target.clusterId
              ? [{ label: 'Cluster', value: action.target.clusterId }]
              : []),
            ...(action.target.messageCount !== undefined
              ? [{ label: 'Messages', value: String(action.target.messageCount) }]
              : []),
          ]}
        />
        <KeyValuePairs
          ariaLabel="Evidence"
          items={[
            {
              label: 'Verdict',
              value: entity ? (
                <StatusIndicator type={VERDICT_INDICATORS[entity.verdict]}>
                  {VERDICT_LABELS[entity.verdict]}
                </StatusIndicator>
              ) : investigation.loading ? (
                <StatusIndicator type="loading">Loading</StatusIndicator>
              ) : (
                '-'
              ),
            },
            {
              label: 'Alert',
              value: detail ? (
                <>
                  <span data-testid="details-alert-title">{detail.investigation.title}</span>
                  <Box variant="small" display="block">
                    {detail.investigation.detectionSource}, {action.alertId}
                  </Box>
                </>
              ) : (
                action.alertId
              ),
            },
            ...(detail
              ? [
                  {
                    label: 'Investigation status',
                    value: (
                      <StatusIndicator
                        type={INVESTIGATION_STATUS_INDICATORS[detail.investigation.status]}
                      >
                        {INVESTIGATION_STATUS_LABELS[detail.investigation.status]}
                      </StatusIndicator>
                    ),
                  },
                ]
              : []),
            {
              label: 'Investigation',
              value: (
                <Link
                  href={hrefOf.investigation(action.investigationId)}
                  data-testid="investigation-link"
                >
                  {action.investigationId}
                </Link>
              ),
            },
            ...(investigation.error
              ? [{ label: 'Evidence', value: `Not available: ${investigation.error.message}` }]
              : []),
          ]}
        />
      </ColumnLayout>

      {action.skippedBecause ? (
        <Alert type="info" header="Skipped as a duplicate">
          The same target was approved at {formatTime(action.skippedBecause.approvedAt)} by action{' '}
          <Link href={hrefOf.action(action.skippedBecause.duplicateOf)}>
            {action.skippedBecause.duplicateOf}
          </Link>
          , so it was not remediated twice.
        </Alert>
      ) : null}

      <Table
        variant="embedded"
        header={<Header variant="h3">Decision history</Header>}
        items={history}
        trackBy={(e) => `${e.at}-${e.event}`}
        columnDefinitions={[
          { id: 'at', header: 'Time', cell: (e) => formatExactTime(e.at) },
          { id: 'event', header: 'Event', cell: (e) => eventLabel(e.event) },
          {
            id: 'by',
            header: 'By',
            cell: (e) =>
              e.by ?? (e.event === 'ActionProposed' ? SOURCE_LABELS[action.source] : '-'),
          },
          {
            id: 'note',
            header: 'Comment or result',
            cell: (e) => noteOf(action, e) ?? '-',
          },
        ]}
      />
    </SpaceBetween>
  );
}

function noteOf(action: Action, event: TimelineEvent): string | undefined {
  if (/Approved|Rejected/.test(event.event) && action.decision) {
    const auto = action.decision.automated ? 'Automated decision. ' : '';
    return `${auto}${action.decision.comment ?? ''}`.trim() || undefined;
  }
  if (action.result && event.at === action.result.at) {
    return [action.result.outcome, action.result.detail].filter(Boolean).join(': ');
  }
  return undefined;
}
