// Domain states as Cloudscape status indicators, drawn the same wherever the page shows them;
// a label never breaks mid-word in a narrow cell.
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { ReactNode } from 'react';
import type {
  ActionStatus,
  InvestigationStatus,
  Severity,
  Verdict,
} from '../../../functions/api/schemas';
import {
  ACTION_STATUS_INDICATORS,
  INVESTIGATION_STATUS_INDICATORS,
  INVESTIGATION_STATUS_LABELS,
  SEVERITY_INDICATORS,
  SEVERITY_LABELS,
  VERDICT_INDICATORS,
  VERDICT_LABELS,
} from './labels';

/** The label, in a span the browser tests find by `testId` when one is given. */
const labelled = (label: string, testId?: string): ReactNode =>
  testId ? <span data-testid={testId}>{label}</span> : label;

export function ActionStatusIndicator({
  status,
  testId,
}: {
  status: ActionStatus;
  testId?: string;
}) {
  return (
    <StatusIndicator type={ACTION_STATUS_INDICATORS[status]} wrapText={false}>
      {labelled(status, testId)}
    </StatusIndicator>
  );
}

export function InvestigationStatusIndicator({
  status,
  testId,
}: {
  status: InvestigationStatus;
  testId?: string;
}) {
  return (
    <StatusIndicator type={INVESTIGATION_STATUS_INDICATORS[status]}>
      {labelled(INVESTIGATION_STATUS_LABELS[status], testId)}
    </StatusIndicator>
  );
}

export function SeverityIndicator({
  severity,
  iconAriaLabel,
}: {
  severity: Severity;
  iconAriaLabel?: string;
}) {
  return (
    <StatusIndicator
      type={SEVERITY_INDICATORS[severity]}
      iconAriaLabel={iconAriaLabel}
      wrapText={false}
    >
      {SEVERITY_LABELS[severity]}
    </StatusIndicator>
  );
}

export function VerdictIndicator({ verdict }: { verdict: Verdict }) {
  return (
    <StatusIndicator type={VERDICT_INDICATORS[verdict]} wrapText={false}>
      {VERDICT_LABELS[verdict]}
    </StatusIndicator>
  );
}
