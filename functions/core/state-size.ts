// Step Functions carries an execution's input and every state's input and output as JSON text of
// at most 256 KiB (UTF-8); past it the execution fails with States.DataLimitExceeded, which no
// States.ALL catch turns into a Failed investigation. The investigation's state carries the alert,
// then its analyzed evidence, then the planned actions, so ingest measures what that state would
// be before it starts an investigation that could only break.
import { analyzeAlert } from './analysis.js';
import { investigationIdFor } from './ids.js';
import type { AlertDetail } from './model.js';
import { planActions } from './planning.js';

/** Step Functions' limit on an execution's input and on each state's input and output, in bytes. */
export const STATE_SIZE_LIMIT_BYTES = 262_144;

/**
 * Room kept under the limit for what the estimate does not model: an error caught into the state
 * (`$.error`, a Lambda error's Cause carries its stack) and fields a later version may add.
 */
export const STATE_SIZE_MARGIN_BYTES = 16 * 1024;

/** The most an investigation's state may carry at ingest: the limit less the margin. */
export const STATE_SIZE_BUDGET_BYTES = STATE_SIZE_LIMIT_BYTES - STATE_SIZE_MARGIN_BYTES;

const utf8 = new TextEncoder();

/** A value's size as Step Functions measures it: the UTF-8 bytes of its JSON text. */
export function payloadBytes(value: unknown): number {
  return utf8.encode(JSON.stringify(value) ?? 'null').byteLength;
}

export interface StateSizeEstimate {
  /** What the largest state carries: the alert, its evidence or its planned actions. */
  largest: 'alert' | 'evidence' | 'actions';
  bytes: number;
  fits: boolean;
}

/**
 * The largest state the investigation of a (normalized) alert would carry, shaped as the state
 * machine's states carry it (statemachines/investigation.asl.json): the execution input, Analyze's
 * output (the alert and its analysis) and Plan's output (the actions). The plan is the largest the
 * settings can give: every threat proposed, malicious ones approved by policy (a decision each).
 */
export function estimateInvestigationState(alert: AlertDetail, now: Date): StateSizeEstimate {
  const investigationId = investigationIdFor(alert.alertId);
  const analysis = analyzeAlert(alert);
  const plan = planActions(analysis.evidence, {
    investigationId,
    alertId: alert.alertId,
    severity: alert.severity,
    automation: { endpoint: 'full', email: 'full' },
    pendingActionTtlSeconds: 0,
    now,
  });
  const sizes: Record<StateSizeEstimate['largest'], number> = {
    alert: payloadBytes({ investigationId, alert }),
    evidence: payloadBytes({ investigationId, alert, analysis }),
    actions: payloadBytes({
      investigationId,
      threatsFound: analysis.threatsFound,
      actions: plan.proposals,
      notProposed: plan.notProposed,
    }),
  };
  const [largest, bytes] = (Object.entries(sizes) as [StateSizeEstimate['largest'], number][])
    .sort(([, a], [, b]) => b - a)
    .at(0) as [StateSizeEstimate['largest'], number];
  return { largest, bytes, fits: bytes <= STATE_SIZE_BUDGET_BYTES };
}

/** Why ingest refuses an alert whose investigation would not fit (logged and answered). */
export function oversizedAlertReason(estimate: StateSizeEstimate, entities: number): string {
  return (
    `The alert is too large to investigate: with ${entities} entities its ${estimate.largest} ` +
    `would make a workflow state of ${estimate.bytes} bytes, over the ${STATE_SIZE_BUDGET_BYTES} ` +
    `an investigation may carry (Step Functions' ${STATE_SIZE_LIMIT_BYTES}-byte limit less a ` +
    `${STATE_SIZE_MARGIN_BYTES}-byte margin). Send its entities as several smaller alerts.`
  );
}
