// Why the action was proposed: the evidence it acts on and its verdict, the alert that raised it
// (title, severity, detection source, the original in its console), the investigation, and the
// approvals and undo it carries. Alert data is untrusted: it is only ever rendered as text.
import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs, {
  type KeyValuePairsProps,
} from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { Action, Entity } from '../../../functions/api/schemas';
import { SeverityIndicator, VerdictIndicator } from '../common/indicators';
import { ENTITY_KIND_LABELS, formatTime } from '../common/labels';
import { safeOriginLink } from '../common/origin';
import { hrefOf } from '../common/route';
import { AlertOriginView } from '../investigations/alert-origin';
import type { InvestigationState } from '../investigations/use-investigation';

/** "1 of 2 approvals" and who: the recorded approvals, then the decision that reached the quorum. */
export function ApprovalsView({ action }: { action: Action }) {
  const required = action.approvals?.required ?? 1;
  const approvers = (action.approvals?.received ?? []).map((a) => a.by);
  if (action.decision && !action.decision.automated && action.status !== 'Rejected') {
    approvers.push(action.decision.by);
  }
  const fromRoles = action.approvals?.fromRoles ?? [];
  return (
    <span data-testid="details-approvals">
      {approvers.length} of {required} approvals
      {approvers.length > 0 ? `: ${approvers.join(', ')}` : ''}
      {fromRoles.length > 0 ? ` (at least one from each of: ${fromRoles.join(', ')})` : ''}
    </span>
  );
}

/** The evidence the action acts on: the entity of the investigation it targets. */
export function evidenceOf(
  action: Action,
  evidence: readonly Entity[] | undefined,
): Entity | undefined {
  return evidence?.find((e) => e.kind === action.target.kind && e.id === action.target.id);
}

function EvidenceView({ action, entity }: { action: Action; entity: Entity | undefined }) {
  const kind = ENTITY_KIND_LABELS[entity?.kind ?? action.target.kind];
  const name = entity?.displayName ?? action.target.displayName;
  return (
    <SpaceBetween size="xxs">
      <span data-testid="why-evidence">
        {kind}: {name}
      </span>
      {entity ? <VerdictIndicator verdict={entity.verdict} /> : null}
    </SpaceBetween>
  );
}

function UndoView({ action }: { action: Action }) {
  const undo = action.undoRequested;
  if (!undo) return null;
  return (
    <SpaceBetween size="xxs">
      <span data-testid="why-undo">
        Asked by {undo.by}, {formatTime(undo.at)}
      </span>
      {undo.comment ? (
        <Box variant="small" display="block">
          <span data-testid="why-undo-comment">{undo.comment}</span>
        </Box>
      ) : null}
    </SpaceBetween>
  );
}

export function WhyProposed({
  action,
  investigation,
}: {
  action: Action;
  investigation: InvestigationState;
}) {
  const detail = investigation.detail;
  const inv = detail?.investigation;
  const entity = evidenceOf(action, detail?.evidence);
  const loading = <StatusIndicator type="loading">Loading</StatusIndicator>;
  const pendingValue = investigation.error
    ? `Not available: ${investigation.error.message}`
    : investigation.loading
      ? loading
      : '-';
  const originalLink = safeOriginLink(inv?.origin?.link);

  const items: KeyValuePairsProps.Item[] = [
    {
      label: 'Evidence',
      value: detail ? <EvidenceView action={action} entity={entity} /> : pendingValue,
    },
    {
      label: 'Alert',
      value: inv ? (
        <SpaceBetween size="xxs">
          <span data-testid="details-alert-title">{inv.title}</span>
          <SeverityIndicator severity={inv.severity} />
          {originalLink ? (
            <Link
              href={originalLink}
              external
              target="_blank"
              rel="noopener noreferrer"
              externalIconAriaLabel="(opens in a new tab)"
              data-testid="why-original-alert"
            >
              Open the original alert
            </Link>
          ) : null}
        </SpaceBetween>
      ) : (
        pendingValue
      ),
    },
    {
      label: 'Detection source',
      value: inv ? <span data-testid="why-detection-source">{inv.detectionSource}</span> : '-',
    },
    {
      label: 'Alert id',
      value: (
        <Link href={hrefOf.investigation(action.investigationId)} data-testid="why-alert-link">
          {action.alertId}
        </Link>
      ),
    },
    ...(inv?.origin
      ? [{ label: 'Alert source', value: <AlertOriginView origin={inv.origin} /> }]
      : []),
    ...(action.approvals ? [{ label: 'Approvals', value: <ApprovalsView action={action} /> }] : []),
    ...(action.undoRequested ? [{ label: 'Undo', value: <UndoView action={action} /> }] : []),
    ...(action.undoFailure
      ? [
          {
            label: 'Undo failed',
            value: `${formatTime(action.undoFailure.at)}: ${action.undoFailure.reason}`,
          },
        ]
      : []),
  ];
  return (
    <SpaceBetween size="s">
      <Header variant="h3">Why it was proposed</Header>
      <div data-testid="why-proposed">
        <KeyValuePairs columns={2} ariaLabel="Why it was proposed" items={items} />
      </div>
    </SpaceBetween>
  );
}
