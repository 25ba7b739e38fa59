// The details of one action in the split panel: status, target, investigation, expiry countdown,
// why it was proposed, decision history, and the decisions the signed-in user may take.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { Action } from '../../../functions/api/schemas';
import type { Decision } from '../api/client';
import {
  ActionStatusIndicator,
  InvestigationStatusIndicator,
  SeverityIndicator,
} from '../common/indicators';
import { ENTITY_KIND_LABELS, expiredNote, formatTime, SOURCE_LABELS } from '../common/labels';
import { hrefOf } from '../common/route';
import type { InvestigationState } from '../investigations/use-investigation';
import { DecisionButtons, isOpenToDecision } from './decision-buttons';
import type { DecisionFailure } from './decision-errors';
import { DecisionHistory } from './decision-history';
import { ExpiryCountdown } from './expiry-countdown';
import { WhyProposed } from './why-proposed';

export function ActionDetails({
  action,
  investigation,
  failure,
  onDismissFailure,
  onRecheck,
  rechecking,
  onDecide,
}: {
  action: Action;
  investigation: InvestigationState;
  failure?: DecisionFailure;
  onDismissFailure(): void;
  /** Reads the action again after a decision that may have been recorded. */
  onRecheck(): void;
  rechecking: boolean;
  onDecide(decision: Decision): void;
}) {
  const detail = investigation.detail;

  return (
    <SpaceBetween size="l">
      {failure ? (
        <Alert
          type={failure.header === 'Action expired' ? 'warning' : 'error'}
          header={failure.header}
          dismissible
          onDismiss={onDismissFailure}
          action={
            failure.uncertain ? (
              <Button onClick={onRecheck} loading={rechecking} data-testid="recheck-decision">
                Retry
              </Button>
            ) : undefined
          }
          data-testid="decision-failure"
        >
          {failure.message}
          {failure.comment ? (
            <Box variant="p" data-testid="kept-comment">
              Your comment: {failure.comment}
            </Box>
          ) : null}
        </Alert>
      ) : null}

      {action.status === 'Expired' && !failure ? (
        <Alert type="info" data-testid="expired-note">
          {expiredNote(action.expiresAt)}
        </Alert>
      ) : null}

      {isOpenToDecision(action) ? <DecisionButtons action={action} onDecide={onDecide} /> : null}

      <ColumnLayout columns={3} variant="text-grid">
        <KeyValuePairs
          ariaLabel="Action"
          items={[
            {
              label: 'Status',
              value: <ActionStatusIndicator status={action.status} testId="details-status" />,
            },
            {
              label: 'Severity',
              value: <SeverityIndicator severity={action.severity} />,
            },
            {
              label: 'Proposed',
              value: `${formatTime(action.createdAt)} by ${action.proposedBy ?? SOURCE_LABELS[action.source].toLowerCase()}`,
            },
            ...(action.status === 'Pending' || action.status === 'Expired'
              ? [{ label: 'Expiry', value: <ExpiryCountdown action={action} /> }]
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
              value: `${action.target.displayName} (${ENTITY_KIND_LABELS[action.target.kind].toLowerCase()})`,
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
          ariaLabel="Investigation"
          items={[
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
            ...(detail
              ? [
                  {
                    label: 'Investigation status',
                    value: <InvestigationStatusIndicator status={detail.investigation.status} />,
                  },
                ]
              : []),
          ]}
        />
      </ColumnLayout>

      <WhyProposed action={action} investigation={investigation} />

      {action.skippedBecause ? (
        <Alert type="info" header="Skipped as a duplicate">
          The same target was approved at {formatTime(action.skippedBecause.approvedAt)} by action{' '}
          <Link href={hrefOf.action(action.skippedBecause.duplicateOf)}>
            {action.skippedBecause.duplicateOf}
          </Link>
          , so it was not remediated twice.
        </Alert>
      ) : null}

      <DecisionHistory action={action} timeline={detail?.timeline} />
    </SpaceBetween>
  );
}
