// The shapes of ../shared/API.md as zod schemas: the one source of truth for types, shared by
// the API handlers, the workflow tasks, the stores and the web page.
import * as z from 'zod';
import { ROLES } from './permissions.js';
import { AlertOrigin } from './sources/source.js';

export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export const VERDICTS = ['malicious', 'suspicious', 'clean', 'unknown'] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

export const ENTITY_KINDS = [
  'file',
  'process',
  'registryKey',
  'service',
  'driver',
  'scheduledTask',
  'device',
  'emailMessage',
  'emailCluster',
  'url',
  'mailbox',
  'attachment',
] as const;
export const EntityKind = z.enum(ENTITY_KINDS);
export type EntityKind = z.infer<typeof EntityKind>;

export const ENDPOINT_ACTION_TYPES = [
  'quarantineFile',
  'removeRegistryKey',
  'killProcess',
  'stopService',
  'disableDriver',
  'removeScheduledTask',
  'isolateDevice',
] as const;
export const EMAIL_ACTION_TYPES = [
  'softDeleteEmail',
  'blockUrl',
  'disableExternalForwarding',
  'quarantineEmail',
  'quarantineAttachment',
] as const;
export const ACTION_TYPES = [...ENDPOINT_ACTION_TYPES, ...EMAIL_ACTION_TYPES] as const;
export const ActionType = z.enum(ACTION_TYPES);
export type ActionType = z.infer<typeof ActionType>;

export const CATEGORIES = ['endpoint', 'email'] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

export const ACTION_STATUSES = [
  'Pending',
  'Approved',
  'Rejected',
  'Expired',
  'Running',
  'Completed',
  'Failed',
  'Skipped',
  'Undone',
] as const;
export const ActionStatus = z.enum(ACTION_STATUSES);
export type ActionStatus = z.infer<typeof ActionStatus>;

export const ACTION_SOURCES = ['AutomatedInvestigation', 'Manual'] as const;
export const ActionSource = z.enum(ACTION_SOURCES);
export type ActionSource = z.infer<typeof ActionSource>;

const text = (max: number) => z.string().min(1).max(max);
const isoTime = z.iso.datetime({ offset: true });

/** One piece of evidence in an alert. Kind-specific fields beyond these are kept as given. */
export const Entity = z.looseObject({
  kind: EntityKind,
  id: text(1024),
  verdict: Verdict,
  displayName: text(1024).optional(),
  deviceId: text(256).optional(),
  mailbox: text(320).optional(),
  clusterId: text(256).optional(),
  messageCount: z.number().int().nonnegative().optional(),
});
export type Entity = z.infer<typeof Entity>;

/** The `detail` of a `Security Alert` EventBridge event. */
export const AlertDetail = z.object({
  alertId: text(256),
  title: text(1024),
  severity: Severity,
  detectionSource: text(256),
  detectedAt: isoTime,
  entities: z.array(Entity).max(500),
});
export type AlertDetail = z.infer<typeof AlertDetail>;

export const Target = z.object({
  kind: EntityKind,
  id: text(1024),
  displayName: text(1024),
  deviceId: text(256).optional(),
  /** The name of the device `deviceId` names, when the evidence named it. */
  deviceName: text(1024).optional(),
  mailbox: text(320).optional(),
  clusterId: text(256).optional(),
  messageCount: z.number().int().nonnegative().optional(),
  /** The AWS account and region the target lives in, as the finding names them (AWS sources). */
  accountId: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/)
    .optional(),
  /** A file's SHA-1, which Defender for Endpoint's stop-and-quarantine names it by. */
  sha1: z
    .string()
    .regex(/^[0-9a-fA-F]{40}$/)
    .optional(),
  /** The mailbox's inbox rule the evidence names (a forwarding rule to remove). */
  inboxRuleId: text(1024).optional(),
  /** On the device: a file's path, or a process's image path (what the ssm connector acts on). */
  path: text(1024).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** A process: its pid and start time, which together name it (pids are reused). */
  pid: z.number().int().nonnegative().optional(),
  processStartTime: isoTime.optional(),
});
export type Target = z.infer<typeof Target>;

/** The longest texts an action keeps: a decision's comment, a result's outcome and detail. */
export const TEXT_LIMITS = { comment: 2000, outcome: 64, detail: 4000 } as const;

export const Decision = z.object({
  by: text(320),
  at: isoTime,
  comment: z.string().max(TEXT_LIMITS.comment).optional(),
  automated: z.boolean(),
});
export type Decision = z.infer<typeof Decision>;

export const ActionResult = z.object({
  outcome: text(TEXT_LIMITS.outcome),
  detail: z.string().max(TEXT_LIMITS.detail).optional(),
  at: isoTime,
});
export type ActionResult = z.infer<typeof ActionResult>;

/** An operator asked to undo a Completed action; the workflow carries it out. */
export const UndoRequest = z.object({
  by: text(320),
  at: isoTime,
  comment: z.string().max(TEXT_LIMITS.comment).optional(),
});
export type UndoRequest = z.infer<typeof UndoRequest>;

/**
 * A carried-out undo: who asked it and why, when it was asked and done, and the remediation's
 * result it reversed (the action's `result` is the undo's own from then on).
 */
export const UndoRecord = z.object({
  by: text(320),
  /** When the action became Undone. */
  at: isoTime,
  comment: z.string().max(TEXT_LIMITS.comment).optional(),
  requestedAt: isoTime,
  /** The remediation's result before the undo: when it completed and with what outcome. */
  reversed: ActionResult.optional(),
});
export type UndoRecord = z.infer<typeof UndoRecord>;

/** Why the last undo did not happen: the action stays Completed and may be undone again. */
export const UndoFailure = z.object({
  at: isoTime,
  /** The undo request this answers (its `at`). */
  requestedAt: isoTime,
  reason: z.string().max(TEXT_LIMITS.detail),
  /** The target could not be reached (try again later), rather than refusing the undo. */
  retryable: z.boolean(),
});
export type UndoFailure = z.infer<typeof UndoFailure>;

/** One approval of an action that needs several (a quorum): who, when, why, and as which roles. */
export const Approval = z.object({
  by: text(320),
  at: isoTime,
  comment: z.string().max(TEXT_LIMITS.comment).optional(),
  /** The approver's roles among the quorum's `fromRoles` (present only when it names roles). */
  roles: z.array(z.enum(ROLES)).max(ROLES.length).optional(),
});
export type Approval = z.infer<typeof Approval>;

/** The most approvals an action can be made to need. */
export const MAX_APPROVALS = 10;

export const Approvals = z.object({
  required: z.number().int().min(2).max(MAX_APPROVALS),
  received: z.array(Approval).max(MAX_APPROVALS),
  /** Roles the approvals must include, one approver at least from each (an approval policy's `@fromRoles`). */
  fromRoles: z.array(z.enum(ROLES)).max(ROLES.length).optional(),
  /** The approval policies that set this quorum (their `@approvals` / `@fromRoles`). */
  policy: z.array(text(128)).max(20).optional(),
});
export type Approvals = z.infer<typeof Approvals>;

export const Action = z.object({
  id: text(128),
  investigationId: text(128),
  alertId: text(256),
  type: ActionType,
  category: Category,
  target: Target,
  severity: Severity,
  source: ActionSource,
  status: ActionStatus,
  decision: Decision.optional(),
  skippedBecause: z.object({ duplicateOf: text(128), approvedAt: isoTime }).optional(),
  result: ActionResult.optional(),
  undoable: z.boolean(),
  /** The undo asked for (in progress while the action is Completed; kept once it is Undone). */
  undoRequested: UndoRequest.optional(),
  /** The last undo that failed, while the action is Completed. */
  undoFailure: UndoFailure.optional(),
  /** Once the action is Undone: who undid it, when, why, and what it reversed. */
  undone: UndoRecord.optional(),
  /** The asset group (ASSET_GROUPS_FILE) the target matched first. */
  assetGroup: text(64).optional(),
  /** The title of the alert (its investigation's title) that called for the action. */
  alertTitle: text(1024).optional(),
  /** Present when the action needs more than one approval: how many, and who gave them so far. */
  approvals: Approvals.optional(),
  /** Who proposed a manual action (`source: "Manual"`); the policies see it as `resource.proposedBy`. */
  proposedBy: text(320).optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
  expiresAt: isoTime,
});
export type Action = z.infer<typeof Action>;

export const INVESTIGATION_STATUSES = [
  'Running',
  'PendingApproval',
  'Remediated',
  'PartiallyRemediated',
  'NoThreatsFound',
  'Failed',
  'TerminatedBySystem',
  'TerminatedByUser',
] as const;
export const InvestigationStatus = z.enum(INVESTIGATION_STATUSES);
export type InvestigationStatus = z.infer<typeof InvestigationStatus>;

export const ActionCounts = z.object({
  actions: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  expired: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});
export type ActionCounts = z.infer<typeof ActionCounts>;

export const Investigation = z.object({
  id: text(128),
  alertIds: z.array(text(256)).min(1),
  title: text(1024),
  severity: Severity,
  detectionSource: text(256),
  status: InvestigationStatus,
  createdAt: isoTime,
  updatedAt: isoTime,
  endedAt: isoTime.optional(),
  /** Seconds spent waiting for approval, as of `updatedAt`. */
  pendingSeconds: z.number().nonnegative(),
  /** While actions wait: when the last of them expires, so the wait is known to run on until then. */
  pendingUntil: isoTime.optional(),
  counts: ActionCounts,
  /** Where the alert came from: its source, the source's id of it and a link to it. */
  origin: AlertOrigin.optional(),
  /** Why an alert that is not clean proposes nothing (no remediable resource). */
  noActionReason: z.string().max(1000).optional(),
});
export type Investigation = z.infer<typeof Investigation>;

/** How long a rejected alert is kept (its TTL), in days. */
export const REJECTED_ALERT_RETENTION_DAYS = 30;

/** The most of a rejected event's body that is kept (UTF-8 characters of its JSON text). */
export const REJECTED_BODY_LIMIT = 64 * 1024;

/**
 * An event from an enabled alert source that could not become an investigation: kept with its
 * reason and (bounded) body, so nothing a source sent is lost without a trace.
 */
export const RejectedAlert = z.object({
  id: text(128),
  receivedAt: isoTime,
  /** The event's EventBridge `source` and `detail-type`, as sent. */
  source: z.string().max(256),
  detailType: z.string().max(256),
  /** The EventBridge event id, when it had one. */
  eventId: z.string().max(256).optional(),
  reason: text(2000),
  /** `field: problem` lines (at most 50). */
  problems: z.array(z.string().max(1000)).max(50),
  /** The event's `detail` as JSON text, cut at REJECTED_BODY_LIMIT characters. */
  body: z.string().max(REJECTED_BODY_LIMIT),
  truncated: z.boolean(),
});
export type RejectedAlert = z.infer<typeof RejectedAlert>;

const AUDIT_EVENTS = [
  'ActionProposed',
  'ApprovalRecorded',
  'ActionApproved',
  'ActionRejected',
  'ActionExpired',
  'ActionSkipped',
  'ActionCompleted',
  'ActionFailed',
  'ActionUndone',
  'UndoRequested',
  'UndoFailed',
  /** A person's approve or reject the policies (or the quorum's roles) refused: nothing changed. */
  'DecisionRefused',
] as const;
export const AuditEvent = z.enum(AUDIT_EVENTS);
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  at: isoTime,
  actor: text(320),
  event: AuditEvent,
  actionId: text(128),
  investigationId: text(128),
  before: ActionStatus.nullable(),
  after: ActionStatus,
  comment: z.string().max(TEXT_LIMITS.comment).optional(),
  /** The ids of the approval policies that allowed (or refused) the decision. */
  policy: z.array(text(128)).max(20).optional(),
  /** How a decision reached the API when not by its own routes: through a decision link. */
  via: z.literal('link').optional(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** What a caller supplies to append to the audit log; the log assigns seq and the hashes. */
export type AuditRecord = Omit<AuditEntry, 'seq' | 'hash' | 'prevHash'>;

export const HISTORY_WINDOWS = { '1d': 1, '7d': 7, '30d': 30, '180d': 180 } as const;
export const HistoryWindow = z.enum(['1d', '7d', '30d', '180d']);
export type HistoryWindow = z.infer<typeof HistoryWindow>;

/** Where a history window that ends `now` begins (ISO time). */
export function windowStart(window: HistoryWindow, now: Date): string {
  return new Date(now.getTime() - HISTORY_WINDOWS[window] * 86_400_000).toISOString();
}
