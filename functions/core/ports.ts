// The ports the use cases depend on; adapters implement them (the stores over DynamoDB, the
// workflow over Step Functions, the connectors).
import type { ChainVerdict } from './audit-chain.js';
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
} from './model.js';

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

/** Settles the workflow's wait on an action: implemented over Step Functions task tokens. */
export interface Workflow {
  approve(taskToken: string, output: unknown): Promise<void>;
  reject(taskToken: string, reason: string): Promise<void>;
}

export interface ConnectorOutcome {
  outcome: string;
  detail?: string;
}

/** Carries out remediation on a target; the action id is the idempotency key. */
export interface Connector {
  readonly name: string;
  execute(action: Action): Promise<ConnectorOutcome>;
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

/** A decided action and the task token its decision is owed to (never shown to a reader). */
export interface DecidedAction {
  action: Action;
  taskToken?: string;
}

/** What a transition may write besides the status. */
export interface ActionPatch {
  result?: ActionResult;
  skippedBecause?: Action['skippedBecause'];
  decision?: Decision;
}

/** Actions: registration with their task token, decisions, status transitions and the lists. */
export interface ActionStore {
  get(actionId: string): Promise<Action | undefined>;
  /** The action as a reader sees it at `now` (a lapsed Pending reads as Expired); 404 if absent. */
  read(actionId: string, now: Date): Promise<Action>;
  /** Idempotent: a retried registration re-associates the new token (and re-owes a decision). */
  registerPending(action: Action, taskToken: string): Promise<{ action: Action; created: boolean }>;
  /** Stores an action that needs no operator (approved by automation), idempotently. */
  putDecided(action: Action): Promise<Action>;
  /** Records an operator's decision exactly once; the callback stays owed until delivered. */
  decide(actionId: string, request: DecideRequest, now: Date): Promise<DecidedAction>;
  callbackDelivered(actionId: string): Promise<void>;
  /** Decisions whose callback is still owed, oldest first. */
  callbacksOwed(limit: number): Promise<DecidedAction[]>;
  oldestPending(now: Date): Promise<Action | undefined>;
  /**
   * Claims a Completed action for one undo until `until` (a crashed undo's claim lapses then);
   * a ConflictError with the action when it is not Completed or another undo holds it.
   */
  claimUndo(actionId: string, now: Date, until: Date): Promise<Action>;
  /** Gives a claim back after a failed undo: the action stays Completed and may be undone again. */
  releaseUndo(actionId: string): Promise<void>;
  /** Moves an action to `to` where legal; an action already in `to` is answered as it is. */
  transition(actionId: string, to: ActionStatus, now: Date, patch?: ActionPatch): Promise<Action>;
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
}

export type InvestigationPatch = Partial<
  Pick<Investigation, 'status' | 'updatedAt' | 'endedAt' | 'pendingSeconds' | 'counts'> & {
    /** The analyzed evidence replaces the alert's entities recorded at ingest. */
    evidence: Entity[];
    /** `null` removes it: nothing waits any more. */
    pendingUntil: string | null;
  }
>;

export interface InvestigationStore {
  /** Creates the investigation once; a second delivery of the same alert creates nothing. */
  createOnce(
    record: InvestigationRecord,
  ): Promise<{ investigation: Investigation; created: boolean }>;
  /** The investigation, its evidence and all its actions; 404 if absent. */
  get(investigationId: string): Promise<InvestigationRecord & { actions: Action[] }>;
  update(investigationId: string, patch: InvestigationPatch): Promise<Investigation>;
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

/** The audit log: append-only, hash chained, verifiable. */
export interface AuditLog {
  append(record: AuditRecord): Promise<AuditEntry>;
  list(
    request: { window: HistoryWindow; limit: number; cursor?: string },
    now: Date,
  ): Promise<StoredPage<AuditEntry>>;
  verify(): Promise<ChainVerdict>;
}
