// The ports the use cases depend on; adapters implement them (the stores over DynamoDB, the
// workflow over Step Functions, the connectors).

import type { ActionOrder } from './action-order.js';
import type { OwedRecord } from './audit-chain.js';
import type {
  Action,
  ActionResult,
  ActionStatus,
  Approval,
  AuditRecord,
  Decision,
  Entity,
  HistoryWindow,
  Investigation,
  InvestigationStatus,
  RejectedAlert,
  UndoFailure,
  UndoRecord,
  UndoRequest,
} from './model.js';
import type { NotificationMessage } from './notification-messages.js';
import type { PendingStats } from './pending-stats.js';
import type { RemediationTracking } from './remediation.js';

export type { AuditLog } from './audit-log-port.js';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Starts an investigation's execution; a name already used is `started: false`, not an error. */
export interface InvestigationStarter {
  startInvestigation(
    stateMachineArn: string,
    name: string,
    input: unknown,
  ): Promise<{ started: boolean }>;
}

/**
 * Resumes an investigation's decision loop: its one wait (a Step Functions task token) ends, so
 * the workflow looks at the investigation's actions again. Implemented over SendTaskSuccess.
 */
export interface Workflow {
  resume(taskToken: string, output: unknown): Promise<void>;
}

export interface ConnectorOutcome {
  outcome: string;
  detail?: string;
}

/**
 * Where a remediation is on its target. `completed` and `failed` are final (`failed` is the
 * target's refusal or failure, with its reason); `running` was accepted and finishes later, `ref`
 * being whatever the target gave to ask about it again (a machine action id, a command id).
 */
export type RemediationProgress =
  | ({ state: 'completed' } & ConnectorOutcome)
  | { state: 'failed'; reason: string; outcome?: string }
  | { state: 'running'; ref?: string; detail?: string };

/**
 * Carries out remediation on a target; the action id is the idempotency key. A call that cannot
 * reach the target for now throws ConnectorTransientError (tried again later), one that can never
 * succeed ConnectorPermanentError (the action is Failed with the message).
 */
export interface Connector {
  readonly name: string;
  /** How long a submitted action may run on the target before it is recorded as TimedOut. */
  readonly timeoutSeconds: number;
  /** Starts the action on the target: finished at once, or running. Safe to call again. */
  submit(action: Action): Promise<RemediationProgress>;
  /** Where a running action is now; `ref` is what `submit` answered. */
  status(action: Action, ref?: string): Promise<RemediationProgress>;
  undo(action: Action): Promise<ConnectorOutcome>;
}

/** Which connector carries out a given action (by category and type). */
export interface ConnectorRegistry {
  connectorFor(action: Action): Connector;
}

/** One page of a stored list; `nextCursor` is absent on the last page. */
export interface StoredPage<T> {
  items: T[];
  nextCursor?: string;
}

/** The list filters: an action matches one of the values given for each property. */
export interface ActionFilters {
  category?: readonly string[];
  type?: readonly string[];
  status?: readonly string[];
  severity?: readonly string[];
  source?: readonly string[];
  investigationId?: readonly string[];
  /** Text in the names, mailbox, alert title, investigation id or asset group (core/action-order.ts). */
  q?: string;
}

export interface ActionPageRequest {
  filters?: ActionFilters;
  limit: number;
  cursor?: string;
  /** Absent: the tab's default (DEFAULT_ORDER). */
  order?: ActionOrder;
}

/** A page of an action list with how many actions the whole list holds. */
export interface ActionListPage extends StoredPage<Action> {
  /** Exact, unless the list holds more than the store reads at most: then that bound. */
  total: number;
  totalIsLowerBound: boolean;
}

export interface DecideRequest {
  verdict: 'approve' | 'reject';
  by: string;
  comment?: string;
}

/** What a transition may write besides the status. */
export interface ActionPatch {
  result?: ActionResult;
  /** Written with the move to Undone. */
  undone?: UndoRecord;
  skippedBecause?: Action['skippedBecause'];
  decision?: Decision;
  /** A Running action's tracking; removed when it leaves Running. */
  tracking?: RemediationTracking;
}

export interface ReadOptions {
  /** Strongly consistent (the default), or eventually consistent. */
  consistent?: boolean;
}

/** Actions: the plan's actions, decisions, status transitions and the lists. */
export interface ActionStore {
  get(actionId: string): Promise<Action | undefined>;
  /**
   * The action as a reader sees it at `now` (a lapsed Pending reads as Expired); 404 if absent.
   * `consistent: false`: an eventually consistent read (half the read units), for a caller whose
   * write is conditional on what it read; an absent action is then read again consistently.
   */
  read(actionId: string, now: Date, options?: ReadOptions): Promise<Action>;
  /**
   * Pending actions, soonest expiry (with one TTL, oldest) first, with the reminder level each
   * was sent (0: none).
   */
  pendingOldestFirst(
    now: Date,
    limit: number,
  ): Promise<{ action: Action; notifiedLevel: number }[]>;
  /** Records that reminder `level` was sent, once, while the action is Pending; false otherwise. */
  markNotified(actionId: string, level: number): Promise<boolean>;
  /** Many actions at once, as `read` sees each (an absent id is absent from the map). */
  readMany(
    actionIds: readonly string[],
    now: Date,
    options?: ReadOptions,
  ): Promise<Map<string, Action>>;
  /**
   * Stores an action waiting for an operator, once: a replayed plan finds it and keeps it. A
   * proposal by hand owes its audit record in the same write.
   */
  putPending(action: Action, audit?: AuditRecord): Promise<{ action: Action; created: boolean }>;
  /**
   * Stores an action that needs no operator (approved by automation), idempotently, owing its
   * audit record in the same write; `created`: this call stored it (and owes the record).
   */
  putDecided(action: Action, audit: AuditRecord): Promise<{ action: Action; created: boolean }>;
  /**
   * Records an operator's decision exactly once, owing its audit record in the same write; the
   * wake of its investigation stays owed until `callbackDelivered`, or until a `transition` moves
   * the action on (the workflow took the approval up).
   */
  decide(actionId: string, request: DecideRequest, now: Date, audit: AuditRecord): Promise<Action>;
  /**
   * Records one approval of an action below its quorum, once, owing its audit record in the same
   * write: only while it is Pending, unexpired and has exactly `seen` approvals (a ConflictError
   * with the Pending action when another landed).
   */
  recordApproval(
    actionId: string,
    approval: Approval,
    seen: number,
    now: Date,
    audit: AuditRecord,
  ): Promise<Action>;
  callbackDelivered(actionId: string): Promise<void>;
  /**
   * Owes an audit record on the action's item without changing the action (a refused decision);
   * the appender chains it.
   */
  oweAudit(actionId: string, audit: AuditRecord): Promise<void>;
  /** Decisions whose wake is still owed, oldest first. */
  callbacksOwed(limit: number): Promise<Action[]>;
  /**
   * Keeps a Running action's tracking, or that of a pending undo's retries (a ConflictError when
   * the action is neither).
   */
  track(actionId: string, tracking: RemediationTracking): Promise<void>;
  /** The Running actions (and the Completed ones whose undo is retried) with their tracking. */
  trackingOf(investigationId: string): Promise<Map<string, RemediationTracking>>;
  /** The actions waiting for a decision now (none expired), counted by severity, with the oldest's age. */
  pendingStats(now: Date): Promise<PendingStats>;
  /**
   * Records an operator's request to undo a Completed, undoable action, once: a ConflictError with
   * the action when it is not, or another request made after `lapsedBefore` is still pending. The
   * same write owes `audit`.
   */
  requestUndo(
    actionId: string,
    request: UndoRequest,
    lapsedBefore: Date,
    audit: AuditRecord,
  ): Promise<Action>;
  /**
   * The undo asked at `failure.requestedAt` failed: kept on the action (owing `audit` in the same
   * write), which stays Completed and may be undone again. A replay finds it recorded and answers
   * the action as it is (and owes nothing more).
   */
  failUndo(actionId: string, failure: UndoFailure, audit: AuditRecord): Promise<Action>;
  /**
   * Moves an action to `to` where legal, owing `audit` in the same write and settling a wake its
   * decision was still owed; an action already in `to` is answered as it is (and owes nothing more).
   */
  transition(
    actionId: string,
    to: ActionStatus,
    now: Date,
    patch?: ActionPatch,
    audit?: AuditRecord,
  ): Promise<Action>;
  /** Actions owing audit records, oldest owed first (ids only: the records are read with `auditOwedBy`). */
  auditOwed(limit: number): Promise<string[]>;
  /** The records an action still owes the audit log, in the order its writes made them. */
  auditOwedBy(actionId: string): Promise<OwedRecord[]>;
  /**
   * Drops records the chain now holds, wherever they are in the list; records already dropped or
   * never owed are no error. `read`: the action's owed records as the caller just read them
   * (`auditOwedBy`), so the clear need not read them again; a stale list costs a read, never a
   * wrong clear.
   */
  clearAuditOwed(
    actionId: string,
    recordIds: readonly string[],
    read?: readonly OwedRecord[],
  ): Promise<void>;
  listPending(request: ActionPageRequest, now: Date): Promise<ActionListPage>;
  listHistory(
    request: ActionPageRequest & { window: HistoryWindow },
    now: Date,
  ): Promise<ActionListPage>;
}

/** An investigation with its evidence: the alert's entities with their verdicts. */
export interface InvestigationRecord {
  investigation: Investigation;
  evidence: Entity[];
  /** Set once the evidence is analyzed: whether it holds threats. */
  threatsFound?: boolean;
}

export type InvestigationPatch = Partial<
  Pick<Investigation, 'status' | 'updatedAt' | 'endedAt' | 'pendingSeconds' | 'counts'> & {
    /** The analyzed evidence replaces the alert's entities recorded at ingest. */
    evidence: Entity[];
    threatsFound: boolean;
    /** `null` removes it: nothing waits any more. */
    pendingUntil: string | null;
    /** `null` removes it: the updated alert proposes something now. */
    noActionReason: string | null;
  }
>;

/** What a wake found: the token of the wait registered last, if any (it may have ended since). */
export interface WakeReceipt {
  waitToken?: string;
}

/** An investigation told of a change: woken while open, reopened once concluded. */
export type ReopenOrWake = (({ outcome: 'woken' } & WakeReceipt) | { outcome: 'reopened' }) & {
  /** The investigation's current execution: its id, or a new name once reopened. */
  executionName: string;
};

export interface InvestigationStore {
  /** Creates the investigation once; a second delivery of the same alert creates nothing. */
  createOnce(
    record: InvestigationRecord,
  ): Promise<{ investigation: Investigation; created: boolean }>;
  /**
   * The investigation, its evidence and all its actions; 404 if absent. `tracking`: the tracked
   * remediations and undos (as ActionStore.trackingOf), when the store reads them in the same call.
   */
  get(
    investigationId: string,
  ): Promise<
    InvestigationRecord & { actions: Action[]; tracking?: Map<string, RemediationTracking> }
  >;
  /** The titles (the alert's) of the investigations found, by id: one read per 100, no actions. */
  titles(investigationIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * `ifWakes`: only if the investigation has had exactly these wakes (a ConflictError otherwise):
   * the workflow concludes an investigation only when no change arrived during its last pass.
   */
  update(
    investigationId: string,
    patch: InvestigationPatch,
    options?: { ifWakes?: number },
  ): Promise<Investigation>;
  /**
   * Registers the decision loop's wait (its task token) and answers how many wakes the
   * investigation has had; a wake counted after `seen` means a change arrived while no wait was
   * registered, and the new wait must end at once.
   */
  registerWait(investigationId: string, taskToken: string): Promise<{ wakes: number }>;
  /** Counts one wake (a decision, a completion) and answers the wait to resume. */
  wake(investigationId: string): Promise<WakeReceipt>;
  /**
   * An updated alert's entities merged into the evidence (core/alert.ts mergeEvidence), to be
   * analyzed and planned again. An open investigation is woken (`merged`, with the wait to
   * resume); a concluded one is reopened (`reopened`: its workflow must be started again, under
   * the new `executionName`). `unchanged`: the update brought nothing new.
   */
  mergeEvidence(
    investigationId: string,
    incoming: Entity[],
    now: Date,
  ): Promise<
    ({ outcome: 'unchanged' | 'reopened' } | ({ outcome: 'merged' } & WakeReceipt)) & {
      /** The investigation's current execution: its id, or a new name once reopened. */
      executionName: string;
    }
  >;
  /**
   * A change the workflow must act on (an undo request): an open investigation is woken (with the
   * wait to resume); a concluded one reopened, its workflow to be started as `executionName`.
   */
  wakeOrReopen(investigationId: string, now: Date): Promise<ReopenOrWake>;
  /** The wakes counted so far: read before the actions, so a later change is never missed. */
  wakesOf(investigationId: string): Promise<number>;
  /**
   * Notes that the investigation's execution was started: true for the first call only, so a
   * redelivered alert (whose StartExecution Step Functions answers as a success while the
   * execution runs) is told apart from the delivery that started it.
   */
  markStarted(investigationId: string, at: Date): Promise<boolean>;
  list(
    request: {
      window: HistoryWindow;
      status?: InvestigationStatus;
      limit: number;
      cursor?: string;
    },
    now: Date,
  ): Promise<StoredPage<Investigation>>;
}

export type ClaimResult = { won: true } | { won: false; duplicateOf: string; approvedAt: string };

/** Deduplication of remediations: one claim per cluster or target within the window. */
/** Where a notification goes (adapters/notify/channels.ts); throws when it will not arrive. */
export interface NotificationChannel {
  readonly name: string;
  send(message: NotificationMessage): Promise<void>;
}

/**
 * The batches of new pending actions already notified: a batch is recorded once sent, so a
 * retried trigger skips it, and a run cut short before recording it sends it again.
 */
export interface NotificationClaims {
  wasSent(key: string): Promise<boolean>;
  /** Records the batch as sent, kept until `keepUntil`; false when it was recorded already. */
  claim(key: string, keepUntil: string): Promise<boolean>;
}

/** Who used a decision link, and when. */
export interface LinkUse {
  by: string;
  at: string;
  actionId: string;
}

/** Decision links are single-use: the first decision through one records its nonce. */
export interface LinkStore {
  /** The link's use, if it was used. */
  usageOf(nonce: string): Promise<LinkUse | undefined>;
  /** Records the use once, kept until the link lapses; false when the link was used already. */
  markUsed(nonce: string, use: LinkUse, expiresAt: string): Promise<boolean>;
}

export interface DedupStore {
  claim(
    request: { dedupKey: string; actionId: string; approvedAt: string },
    now: Date,
  ): Promise<ClaimResult>;
}

/** Events from alert sources that could not become investigations, kept for REJECTED_ALERT_RETENTION_DAYS. */
export interface RejectedAlertStore {
  /** Keeps the rejected event once (a redelivery of the same event id keeps nothing more). */
  record(rejected: RejectedAlert): Promise<void>;
  /** Newest first. */
  list(request: { limit: number; cursor?: string }, now: Date): Promise<StoredPage<RejectedAlert>>;
}
