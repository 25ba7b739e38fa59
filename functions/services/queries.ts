// Reading the Action Center: the two action lists and their CSV export, one action, the
// investigations with their evidence and timeline, the audit log and the rejected alerts.
import {
  ACTION_STATUS_LABELS,
  ACTION_TYPE_LABELS,
  CATEGORY_LABELS,
  SEVERITY_LABELS,
  SOURCE_LABELS,
} from '../core/action-labels.js';
import type { ActionOrder } from '../core/action-order.js';
import { presentAction } from '../core/action-status.js';
import type { ApprovalPolicies } from '../core/approval-policies.js';
import { toCsv } from '../core/csv.js';
import { ValidationError } from '../core/errors.js';
import { assertInvestigationId, isActionId } from '../core/ids.js';
import {
  countActions,
  pendingSeconds,
  pendingSecondsAt,
  pendingUntil,
  type TimelineEvent,
  timelineOf,
} from '../core/investigation-status.js';
import type {
  Action,
  AuditEntry,
  Entity,
  HistoryWindow,
  Investigation,
  InvestigationStatus,
  RejectedAlert,
} from '../core/model.js';
import { prometheusText } from '../core/pending-stats.js';
import type {
  ActionFilters,
  ActionStore,
  AuditLog,
  Clock,
  InvestigationStore,
  RejectedAlertStore,
} from '../core/ports.js';
import { DEFAULT_SLA_MINUTES, type SlaMinutes } from '../core/reminders.js';

export interface QueryPorts {
  actions: Pick<ActionStore, 'read' | 'listPending' | 'listHistory' | 'pendingStats'>;
  investigations: Pick<InvestigationStore, 'get' | 'list' | 'titles'>;
  audit: Pick<AuditLog, 'list' | 'verify'>;
  rejectedAlerts: Pick<RejectedAlertStore, 'list'>;
  clock: Clock;
  /** What `/me` says the caller may decide. */
  policies: ApprovalPolicies;
  /** The reminder SLA by severity, served beside the pending metrics (default DEFAULT_SLA_MINUTES). */
  sla?: SlaMinutes;
}

/** What waits for a decision, by severity, in the Prometheus text format. */
export async function pendingMetrics(ports: QueryPorts): Promise<string> {
  return prometheusText(
    await ports.actions.pendingStats(ports.clock()),
    ports.sla ?? DEFAULT_SLA_MINUTES,
  );
}

/** A list page as the API answers it: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An action list's page: `total` counts the whole list (a lower bound past the read bound). */
export interface ActionListResult extends Page<Action> {
  total: number;
  totalIsLowerBound: boolean;
}

interface ActionListRequest {
  tab: 'pending' | 'history';
  /** The history tab's window; the pending tab ignores it. */
  window: HistoryWindow;
  filters: ActionFilters;
  /** Absent: the tab's default order. */
  order?: ActionOrder;
  limit: number;
  cursor?: string;
}

export async function listActions(
  ports: QueryPorts,
  request: ActionListRequest,
): Promise<ActionListResult> {
  const now = ports.clock();
  const { tab, window, filters, order, limit, cursor } = request;
  const wanted = { filters, limit, cursor, ...(order && { order }) };
  if (tab === 'pending') {
    // Every pending action is Pending: asking that tab for other statuses only finds nothing.
    if (filters.status !== undefined && !filters.status.includes('Pending')) {
      return { items: [], nextCursor: null, total: 0, totalIsLowerBound: false };
    }
    const page = await ports.actions.listPending(wanted, now);
    return { ...page, nextCursor: page.nextCursor ?? null };
  }
  const page = await ports.actions.listHistory({ ...wanted, window }, now);
  return { ...page, nextCursor: page.nextCursor ?? null };
}

/** The export stops here: past it a Lambda response (6 MB) would not hold the file. */
const MAX_EXPORT_ROWS = 10_000;

/** Every action the list would show, in its order, from the cursor on (one read of the list). */
export async function exportActions(
  ports: QueryPorts,
  request: Omit<ActionListRequest, 'limit'>,
): Promise<Action[]> {
  const list = await listActions(ports, { ...request, limit: MAX_EXPORT_ROWS });
  if (list.totalIsLowerBound || list.nextCursor !== null) {
    throw new ValidationError(
      `More than ${MAX_EXPORT_ROWS} actions match; narrow the filters or the window`,
      { fields: { window: 'too many matching actions' }, maxRows: MAX_EXPORT_ROWS },
    );
  }
  return list.items;
}

export const ACTION_CSV_HEADER = [
  'id',
  'investigationId',
  'alertId',
  'type',
  'category',
  'targetKind',
  'targetId',
  'targetName',
  'deviceId',
  'mailbox',
  'clusterId',
  'messageCount',
  'severity',
  'source',
  'status',
  'decidedBy',
  'decidedAt',
  'automated',
  'comment',
  'duplicateOf',
  'resultOutcome',
  'resultDetail',
  'resultAt',
  'undoable',
  'createdAt',
  'updatedAt',
  'expiresAt',
  // v2, appended so scripts reading by name or by position keep working:
  'typeLabel',
  'categoryLabel',
  'severityLabel',
  'statusLabel',
  'sourceLabel',
  'alertTitle',
  'undoneBy',
  'undoneAt',
  'undoComment',
] as const;

/**
 * The actions as a CSV file for people and spreadsheets: a UTF-8 BOM, the values and their labels,
 * the alert's title (the action's own, else its investigation's from `alertTitles`) and who undid
 * an action, when and why. Every cell goes through the formula guard.
 */
export function actionsCsv(
  actions: readonly Action[],
  alertTitles: ReadonlyMap<string, string> = new Map(),
): string {
  return toCsv(
    ACTION_CSV_HEADER,
    actions.map((a) => [
      a.id,
      a.investigationId,
      a.alertId,
      a.type,
      a.category,
      a.target.kind,
      a.target.id,
      a.target.displayName,
      a.target.deviceId,
      a.target.mailbox,
      a.target.clusterId,
      a.target.messageCount,
      a.severity,
      a.source,
      a.status,
      a.decision?.by,
      a.decision?.at,
      a.decision?.automated,
      a.decision?.comment,
      a.skippedBecause?.duplicateOf,
      a.result?.outcome,
      a.result?.detail,
      a.result?.at,
      a.undoable,
      a.createdAt,
      a.updatedAt,
      a.expiresAt,
      ACTION_TYPE_LABELS[a.type],
      CATEGORY_LABELS[a.category],
      SEVERITY_LABELS[a.severity],
      ACTION_STATUS_LABELS[a.status],
      SOURCE_LABELS[a.source],
      a.alertTitle ?? alertTitles.get(a.investigationId),
      a.undone?.by,
      a.undone?.at,
      a.undone?.comment,
    ]),
    { bom: true },
  );
}

/** The export's file name: the tab and the day (UTC) it was made, `actions-history-2026-11-23.csv`. */
export function exportFileName(tab: ActionListRequest['tab'], now: Date): string {
  return `actions-${tab}-${now.toISOString().slice(0, 10)}.csv`;
}

/** The list's actions across all pages as the CSV file, with its name. */
export async function exportActionsCsv(
  ports: QueryPorts,
  request: Omit<ActionListRequest, 'limit'>,
): Promise<{ csv: string; filename: string }> {
  const actions = await exportActions(ports, request);
  // Actions proposed before they kept their alert's title take their investigation's.
  const titles = await ports.investigations.titles([
    ...new Set(actions.filter((a) => a.alertTitle === undefined).map((a) => a.investigationId)),
  ]);
  return { csv: actionsCsv(actions, titles), filename: exportFileName(request.tab, ports.clock()) };
}

export async function getAction(ports: QueryPorts, actionId: string): Promise<Action> {
  if (!isActionId(actionId)) {
    throw new ValidationError('Invalid action id', { fields: { id: 'malformed action id' } });
  }
  return ports.actions.read(actionId, ports.clock());
}

export async function listInvestigations(
  ports: QueryPorts,
  request: { window: HistoryWindow; status?: InvestigationStatus; limit: number; cursor?: string },
): Promise<Page<Investigation>> {
  const now = ports.clock();
  const page = await ports.investigations.list(request, now);
  // The stored pending time is as of the last refresh; a wait still running has gone on since.
  const items = page.items.map((i) => ({ ...i, pendingSeconds: pendingSecondsAt(i, now) }));
  return { items, nextCursor: page.nextCursor ?? null };
}

export interface InvestigationDetail {
  investigation: Investigation;
  actions: Action[];
  evidence: Entity[];
  timeline: TimelineEvent[];
}

/**
 * One investigation with its actions as they read now (a lapsed Pending reads Expired), so its
 * counts and pending time are computed from them rather than from the last stored summary.
 */
export async function getInvestigation(
  ports: QueryPorts,
  investigationId: string,
): Promise<InvestigationDetail> {
  assertInvestigationId(investigationId);
  const now = ports.clock();
  const stored = await ports.investigations.get(investigationId);
  const actions = stored.actions.map((a) => presentAction(a, now));
  const investigation: Investigation = { ...stored.investigation };
  if (actions.length > 0) {
    investigation.counts = countActions(actions.map((a) => a.status));
    investigation.pendingSeconds = pendingSeconds(actions, now);
    const until = pendingUntil(actions);
    if (until) investigation.pendingUntil = until;
    else delete investigation.pendingUntil;
  }
  const timeline: TimelineEvent[] = [
    { at: investigation.createdAt, event: 'InvestigationStarted', status: 'Running' },
    ...timelineOf(actions),
  ];
  if (investigation.endedAt) {
    timeline.push({
      at: investigation.endedAt,
      event: 'InvestigationEnded',
      status: investigation.status,
    });
  }
  timeline.sort((x, y) => x.at.localeCompare(y.at));
  return { investigation, actions, evidence: stored.evidence, timeline };
}

export async function listAudit(
  ports: QueryPorts,
  request: { window: HistoryWindow; limit: number; cursor?: string },
): Promise<Page<AuditEntry>> {
  const page = await ports.audit.list(request, ports.clock());
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}

/** Events of enabled sources that could not be mapped, the last 30 days, newest first. */
export async function listRejectedAlerts(
  ports: QueryPorts,
  request: { limit: number; cursor?: string },
): Promise<Page<RejectedAlert>> {
  const page = await ports.rejectedAlerts.list(request, ports.clock());
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}
