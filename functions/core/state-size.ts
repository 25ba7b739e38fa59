// Sizes that bound an investigation. Step Functions carries an execution's input and every state's
// input and output as JSON text of at most 256 KiB (UTF-8): the investigation's state carries only
// ids and counters (core/decision-loop.ts), so it stays far below. What grows with the alert is
// the evidence, kept on the investigation's item in DynamoDB, whose items hold at most 400 KB:
// ingest measures the analyzed evidence first and refuses an alert whose evidence cannot be kept.
import { analyzeAlert } from './analysis.js';
import { investigationIdFor } from './ids.js';
import type { AlertDetail } from './model.js';

/** Step Functions' limit on an execution's input and on each state's input and output, in bytes. */
export const STATE_SIZE_LIMIT_BYTES = 262_144;

/** DynamoDB's limit on one item (attribute names and values), in bytes. */
export const ITEM_SIZE_LIMIT_BYTES = 400 * 1024;

/** Room kept on the investigation's item for its own fields, counts and what a later version adds. */
export const ITEM_SIZE_MARGIN_BYTES = 32 * 1024;

/** The most the analyzed evidence of one investigation may take. */
export const EVIDENCE_BUDGET_BYTES = ITEM_SIZE_LIMIT_BYTES - ITEM_SIZE_MARGIN_BYTES;

const utf8 = new TextEncoder();

/** A value's size as Step Functions measures it: the UTF-8 bytes of its JSON text. */
export function payloadBytes(value: unknown): number {
  return utf8.encode(JSON.stringify(value) ?? 'null').byteLength;
}

export interface EvidenceSize {
  /** The analyzed evidence as JSON text (an upper bound of what DynamoDB counts for it). */
  bytes: number;
  fits: boolean;
}

/** How much the investigation's item would hold for a (normalized) alert's analyzed evidence. */
export function measureEvidence(alert: AlertDetail): EvidenceSize {
  const analysis = analyzeAlert(alert);
  const bytes = payloadBytes({ id: investigationIdFor(alert.alertId), ...analysis });
  return { bytes, fits: bytes <= EVIDENCE_BUDGET_BYTES };
}

/** Why ingest refuses an alert whose evidence would not fit (logged and answered). */
export function oversizedAlertReason(size: EvidenceSize, entities: number): string {
  return (
    `The alert is too large to investigate: its ${entities} entities make ${size.bytes} bytes ` +
    `of evidence, over the ${EVIDENCE_BUDGET_BYTES} an investigation may keep (DynamoDB's ` +
    `${ITEM_SIZE_LIMIT_BYTES}-byte item limit less a ${ITEM_SIZE_MARGIN_BYTES}-byte margin). ` +
    'Send its entities as several smaller alerts, or with shorter ids and names.'
  );
}
