// Ingest: a validated alert opens its investigation and starts its execution, once. The execution
// name is derived from the alert id, so a redelivered alert (EventBridge is at-least-once) finds
// the investigation recorded and the execution started, and does nothing more. An alert whose
// evidence could not be kept (core/state-size.ts) is rejected up front, with the reason.
import type { EventBridgeEvent } from 'aws-lambda';
import { normalizeAlert, openInvestigation, parseAlert } from '../core/alert.js';
import type { Clock, InvestigationStarter, InvestigationStore } from '../core/ports.js';
import { measureEvidence, oversizedAlertReason } from '../core/state-size.js';
import { countMetric, logger } from '../observability.js';

export interface IngestPorts {
  investigations: Pick<InvestigationStore, 'createOnce' | 'markStarted'>;
  starter: InvestigationStarter;
  stateMachineArn: string;
  clock: Clock;
}

/** The part of an EventBridge event ingest reads. */
interface AlertEvent {
  id?: string;
  source?: string;
  'detail-type'?: string;
  detail?: unknown;
}

export type IngestResult =
  | { outcome: 'started' | 'duplicate'; investigationId: string; alertId: string }
  | { outcome: 'rejected'; reason: string; problems: string[] };

/** The execution's input: the investigation's id; the workflow reads the rest from the table. */
export interface InvestigationInput {
  investigationId: string;
}

export async function ingestAlert(event: AlertEvent, ports: IngestPorts): Promise<IngestResult> {
  const parsed = parseAlert(event.detail);
  if (!parsed.ok) {
    return rejected(event, 'The event detail is not a valid alert', parsed.problems);
  }
  const alert = normalizeAlert(parsed.alert);
  const now = ports.clock();
  const size = measureEvidence(alert);
  if (!size.fits) {
    return rejected(event, oversizedAlertReason(size, alert.entities.length), [
      `entities: ${alert.entities.length} entities make ${size.bytes} bytes of evidence`,
    ]);
  }
  const record = openInvestigation(alert, now);
  const investigationId = record.investigation.id;
  const { created } = await ports.investigations.createOnce(record);
  // Started after the investigation is recorded: a retry after a failed start finds it and
  // starts again; the derived name keeps that to one execution. Step Functions answers a start
  // with the name and input of a running execution as a success, so the investigation notes the
  // first start: only the delivery that made it is `started`.
  const input: InvestigationInput = { investigationId };
  const { started } = await ports.starter.startInvestigation(
    ports.stateMachineArn,
    investigationId,
    input,
  );
  const first = await ports.investigations.markStarted(investigationId, now);
  const outcome = first ? 'started' : 'duplicate';
  if (outcome === 'started') countMetric('AlertsIngested');
  logger.info('Alert ingested', {
    eventId: event.id,
    alertId: alert.alertId,
    investigationId,
    outcome,
    created,
    started,
  });
  return { outcome, investigationId, alertId: alert.alertId };
}

/** A refused alert: logged with the reason, counted, nothing recorded or started. */
function rejected(event: AlertEvent, reason: string, problems: string[]): IngestResult {
  logger.warn('Alert rejected', { eventId: event.id, reason, problems });
  countMetric('AlertsRejected');
  return { outcome: 'rejected', reason, problems };
}

/** The Lambda handler over the ports (handler.ts wires the real ones). */
export function createIngestHandler(ports: IngestPorts) {
  return (event: EventBridgeEvent<string, unknown>): Promise<IngestResult> =>
    ingestAlert(event, ports);
}
