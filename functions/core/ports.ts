// The ports the use cases depend on; adapters implement them (the stores over DynamoDB, the
// workflow over Step Functions, the connectors).
import type { ChainVerdict, OwedRecord } from './audit-chain.js';
import type {
  Action,
  ActionResult,
  ActionStatus,
  AuditEntry,
  AuditRecord,
  Decision,
  Entity,
  HistoryWindow,
  Investigation,
  InvestigationStatus,
  RejectedAlert,
} from './model.js';
import type { RemediationTracking } from './remediation.js';

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

export interface ActionFilters {
  category?: string;
  type?: string;
  status?: string;
  severity?: string;
  source?: string;
  investigationId?: string;
  /** Text in the target's display name (case-insensitive). */
  q?: string;
}

export interface ActionPageRequest {
  filters?: ActionFilters;
  limit: number;
  cursor?: string;
}

export interface DecideRequest {
  verdict: 'approve' | 'reject';
  by: string;
  comment?: string;
}

/** What a transition may write besides the status. */
export interface ActionPatch {
  result?: ActionResult;
  skippedBecause?: Action['skippedBecause'];
  decision?: Decision;
  /** A Running action's tracking; removed when it leaves Running. */
  tracking?: RemediationTracking;
}

/** Actions: the plan's actions, decisions, status transitions and the lists. */
export interface ActionStore {
  get(actionId: string): Promise<Action | undefined>;
  /** The action as a reader sees it at `now` (a lapsed Pending reads as Expired); 404 if absent. */
  read(actionId: string, now: Date): Promise<Action>;
  /** Stores an action waiting for an operator, once: a replayed plan finds it and keeps it. */
  putPending(action: Action): Promise<{ action: Action; created: boolean }>;
  /**
   * Stores an action that needs no operator (approved by automation), idempotently, owing its
   * audit record in the same write.
   */
  putDecided(action: Action, audit: AuditRecord): Promise<Action>;
  /**
   * Records an operator's decision exactly once, owing its audit record in the same write; the
   * wake of its investigation stays owed until `callbackDelivered`.
   */
  decide(actionId: string, request: DecideRequest, now: Date, audit: AuditRecord): Promise<Action>;
  callbackDelivered(actionId: string): Promise<void>;
  /** Decisions whose wake is still owed, oldest first. */
  callbacksOwed(limit: number): Promise<Action[]>;
  /** Keeps a Running action's tracking (a ConflictError when it is no longer Running). */
  track(actionId: string, tracking: RemediationTracking): Promise<void>;
  /** The Running actions of an investigation with their tracking. */
  trackingOf(investigationId: string): Promise<Map<string, RemediationTracking>>;
  oldestPending(now: Date): Promise<Action | undefined>;
  /**
   * Claims a Completed action for one undo until `until` (a crashed undo's claim lapses then);
   * a ConflictError with the action when it is not Completed or another undo holds it.
   */
  claimUndo(actionId: string, now: Date, until: Date): Promise<Action>;
  /** Gives a claim back after a failed undo: the action stays Completed and may be undone again. */
  releaseUndo(actionId: string): Promise<void>;
  /**
   * Moves an action to `to` where legal, owing `audit` in the same write; an action already in
   * `to` is answered as it is (and owes nothing more).
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
  /** Drops records the chain now holds; records already dropped or never owed are no error. */
  clearAuditOwed(actionId: string, recordIds: readonly string[]): Promise<void>;
  listPending(request: ActionPageRequest, now: Date): Promise<StoredPage<Action>>;
  listHistory(
    request: ActionPageRequest & { window: HistoryWindow },
    now: Date,
  ): Promise<StoredPage<Action>>;
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

export interface InvestigationStore {
  /** Creates the investigation once; a second delivery of the same alert creates nothing. */
  createOnce(
    record: InvestigationRecord,
  ): Promise<{ investigation: Investigation; created: boolean }>;
  /** The investigation, its evidence and all its actions; 404 if absent. */
  get(investigationId: string): Promise<InvestigationRecord & { actions: Action[] }>;
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

/** What the previous holder of the appender's lease may have left half done. */
export interface AppenderLease {
  acquired: boolean;
  /** Set when the previous holder stopped inside a batch: entries from this seq on may be uncleared. */
  unsettledFrom?: number;
}

/** The audit log: append-only, hash chained, verifiable. */
export interface AuditLog {
  /**
   * Appends after the last entry; `recordId` is kept with the entry so a retry can find it.
   * `after`: the last entry as the caller knows it (null: the chain is empty), saving a read; a
   * wrong guess costs a retry, never a broken chain.
   */
  append(record: AuditRecord, recordId?: string, after?: AuditEntry | null): Promise<AuditEntry>;
  /** The last entry, if any. */
  tail(): Promise<AuditEntry | undefined>;
  /** Which records the entries from `seq` on hold (entries appended before record ids have none). */
  appendedFrom(seq: number): Promise<Array<{ actionId: string; recordId: string }>>;
  /** Makes `owner` the one appender until `until`, unless another holds an unexpired lease. */
  acquireAppender(owner: string, now: Date, until: Date): Promise<AppenderLease>;
  /** Notes that the holder starts a batch at `seq` (a successor checks those entries). */
  startBatch(owner: string, seq: number): Promise<void>;
  /** Gives the lease back; `settled`: every batch was cleared, nothing for a successor to check. */
  releaseAppender(owner: string, settled: boolean): Promise<void>;
  list(
    request: { window: HistoryWindow; limit: number; cursor?: string },
    now: Date,
  ): Promise<StoredPage<AuditEntry>>;
  verify(): Promise<ChainVerdict>;
}
