// Ingest: an event from an enabled alert source becomes an investigation, once. Its adapter
// (core/sources) maps it to the investigation's alert; the investigation id and the execution name
// derive from the alert id, so a redelivered event finds them and does nothing more. An updated
// finding (the same alert id with more evidence) adds its evidence: an open investigation is woken
// to plan it, a concluded one is reopened under a new execution. An event that cannot become an
// investigation (unmappable, or evidence too large to keep) is kept as a rejected alert with its
// reason and body, counted, never only logged.
import { createHash } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { normalizeAlert, openInvestigation, parseAlert } from '../core/alert.js';
import type { AlertDetail, RejectedAlert } from '../core/model.js';
import { REJECTED_BODY_LIMIT } from '../core/model.js';
import type {
  Clock,
  InvestigationStarter,
  InvestigationStore,
  RejectedAlertStore,
  Workflow,
} from '../core/ports.js';
import { sourceOf } from '../core/sources/index.js';
import type { AlertOrigin, AlertSource, SourceEvent } from '../core/sources/source.js';
import { measureEvidence, oversizedAlertReason } from '../core/state-size.js';
import { clip } from '../core/text.js';
import { countMetric, logger } from '../observability.js';
import { wakeInvestigation } from './wake.js';

export interface IngestPorts {
  investigations: Pick<
    InvestigationStore,
    'createOnce' | 'markStarted' | 'mergeEvidence' | 'wake' | 'update'
  >;
  rejectedAlerts: Pick<RejectedAlertStore, 'record'>;
  starter: InvestigationStarter;
  /** Resumes an open investigation's wait when an update brought new evidence. */
  workflow: Workflow;
  stateMachineArn: string;
  clock: Clock;
  /** The enabled alert sources (core/sources/index.ts enabledSources). */
  sources: readonly AlertSource[];
}

export type IngestResult =
  | {
      /** `updated`: a known alert brought new evidence. */
      outcome: 'started' | 'duplicate' | 'updated';
      investigationId: string;
      alertId: string;
    }
  | { outcome: 'rejected'; reason: string; problems: string[] };

/** The execution's input: the investigation's id; the workflow reads the rest from the table. */
export interface InvestigationInput {
  investigationId: string;
}

/** One event, of any enabled source; a source that batches findings gives a result per finding. */
export async function ingestEvent(event: SourceEvent, ports: IngestPorts): Promise<IngestResult[]> {
  const source = sourceOf(event, ports.sources);
  if (!source) {
    // The rules route only enabled sources: this is a misrouted event, not a source's alert.
    logger.warn('Event of no enabled alert source', {
      eventId: event.id,
      source: event.source,
      detailType: event['detail-type'],
    });
    countMetric('AlertsRejected');
    return [
      {
        outcome: 'rejected',
        reason: 'The event is of no enabled alert source',
        problems: [
          `source: ${String(event.source)}`,
          `detail-type: ${String(event['detail-type'])}`,
        ],
      },
    ];
  }
  const results: IngestResult[] = [];
  for (const one of source.split?.(event) ?? [event]) {
    results.push(await ingestFinding(one, source, ports));
  }
  return results;
}

/** One event of the project's own format (kept for the callers that send exactly one alert). */
export async function ingestAlert(event: SourceEvent, ports: IngestPorts): Promise<IngestResult> {
  const [result] = await ingestEvent(event, ports);
  return result as IngestResult;
}

async function ingestFinding(
  event: SourceEvent,
  source: AlertSource,
  ports: IngestPorts,
): Promise<IngestResult> {
  const mapping = source.map(event);
  if (!mapping.ok) return rejected(event, ports, mapping.reason, mapping.problems);
  // The adapter's alert is checked as our own would be: the same limits for every source.
  const checked = parseAlert(mapping.alert);
  if (!checked.ok) {
    return rejected(
      event,
      ports,
      `The ${source.id} finding maps to no valid alert`,
      checked.problems,
    );
  }
  const alert = normalizeAlert(checked.alert);
  const size = measureEvidence(alert);
  if (!size.fits) {
    return rejected(event, ports, oversizedAlertReason(size, alert.entities.length), [
      `entities: ${alert.entities.length} entities make ${size.bytes} bytes of evidence`,
    ]);
  }
  return openOrUpdate(alert, mapping.origin, mapping.noActionReason, event, ports);
}

async function openOrUpdate(
  alert: AlertDetail,
  origin: AlertOrigin,
  noActionReason: string | undefined,
  event: SourceEvent,
  ports: IngestPorts,
): Promise<IngestResult> {
  const now = ports.clock();
  const record = openInvestigation(alert, now);
  record.investigation.origin = origin;
  if (noActionReason !== undefined) record.investigation.noActionReason = noActionReason;
  const investigationId = record.investigation.id;
  const context = {
    eventId: event.id,
    alertId: alert.alertId,
    investigationId,
    source: origin.source,
  };
  const { created } = await ports.investigations.createOnce(record);
  let updated = false;
  let execution = investigationId;
  if (!created) {
    const merge = await ports.investigations.mergeEvidence(investigationId, alert.entities, now);
    // A reopened investigation runs under a new execution name (its first one is over).
    execution = merge.executionName;
    if (merge.outcome === 'merged') await wakeInvestigation(ports, investigationId);
    updated = merge.outcome !== 'unchanged';
    if (updated) {
      await ports.investigations.update(investigationId, {
        noActionReason: noActionReason ?? null,
      });
    }
  }
  // Started after the investigation is recorded: a retry after a failed start finds it and starts
  // again; the derived name keeps that to one execution. Step Functions answers a start with the
  // name and input of a running execution as a success, so the investigation notes the first
  // start: only the delivery that made it is `started`.
  const first = await start(ports, investigationId, execution);
  const outcome = first ? 'started' : updated ? 'updated' : 'duplicate';
  if (outcome === 'started') countMetric('AlertsIngested');
  if (outcome === 'updated') countMetric('AlertsUpdated');
  logger.info('Alert ingested', { ...context, outcome, created, execution });
  return { outcome, investigationId, alertId: alert.alertId };
}

/** Starts the execution `name` (idempotent); true when this call is the investigation's first start. */
async function start(ports: IngestPorts, investigationId: string, name: string): Promise<boolean> {
  const input: InvestigationInput = { investigationId };
  await ports.starter.startInvestigation(ports.stateMachineArn, name, input);
  return ports.investigations.markStarted(investigationId, ports.clock());
}

/** A refused event: kept with its reason and body, logged, counted; nothing opened or started. */
async function rejected(
  event: SourceEvent,
  ports: IngestPorts,
  reason: string,
  problems: string[],
): Promise<IngestResult> {
  const now = ports.clock();
  const body = JSON.stringify(event.detail ?? null);
  const kept: RejectedAlert = {
    id: rejectedIdOf(event, body, now),
    receivedAt: now.toISOString(),
    source: clip(String(event.source ?? ''), 256),
    detailType: clip(String(event['detail-type'] ?? ''), 256),
    ...(typeof event.id === 'string' && { eventId: clip(event.id, 256) }),
    reason: clip(reason, 2000),
    problems: problems.slice(0, 50).map((p) => clip(p, 1000)),
    body: body.slice(0, REJECTED_BODY_LIMIT),
    truncated: body.length > REJECTED_BODY_LIMIT,
  };
  await ports.rejectedAlerts.record(kept);
  logger.warn('Alert rejected', { eventId: event.id, source: event.source, reason, problems });
  countMetric('AlertsRejected');
  return { outcome: 'rejected', reason, problems };
}

/**
 * The same event (EventBridge redelivers it with its id) is kept once; the findings of one
 * Security Hub event share its id, so the body tells them apart.
 */
function rejectedIdOf(event: SourceEvent, body: string, now: Date): string {
  const key = typeof event.id === 'string' ? `${event.id}|${body}` : `${now.toISOString()}|${body}`;
  return `rej-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** The Lambda handler over the ports (functions/ingest/ingest.ts wires the real ones). */
export function createIngestHandler(ports: IngestPorts) {
  return (event: EventBridgeEvent<string, unknown>): Promise<IngestResult[]> =>
    ingestEvent(event, ports);
}
