// In-memory stand-ins for the workflow's ports, with the stores' semantics (conditional
// transitions, create-once puts, a decision recorded once, tracking kept only while Running or
// undoing, an undo requested once, one
// registered wait and a wake count per investigation) and nothing else.
import { canTransition } from '../../../../functions/core/action-status.js';
import { mergeEvidence } from '../../../../functions/core/alert.js';
import { type OwedRecord, owedRecordOf } from '../../../../functions/core/audit-chain.js';
import { ConflictError, ExpiredError, NotFoundError } from '../../../../functions/core/errors.js';
import type {
  Action,
  ActionStatus,
  AuditRecord,
  Decision,
  Entity,
  Investigation,
  RejectedAlert,
  UndoFailure,
  UndoRequest,
} from '../../../../functions/core/model.js';
import type {
  ActionPatch,
  ActionStore,
  Connector,
  ConnectorOutcome,
  DecideRequest,
  InvestigationPatch,
  InvestigationRecord,
  InvestigationStore,
  RemediationProgress,
  Workflow,
} from '../../../../functions/core/ports.js';
import type { RemediationTracking } from '../../../../functions/core/remediation.js';
import { enabledSources } from '../../../../functions/core/sources/index.js';
import { defaultSourceSettings } from '../../../../functions/ingest/rule.js';
import {
  type AppenderPorts,
  appendOwedAudit,
} from '../../../../functions/services/audit-appender.js';
import type { IngestPorts } from '../../../../functions/services/ingest.js';
import type { WorkflowPorts } from '../../../../functions/services/workflow/ports.js';
import { outboxTrigger } from '../../../../infra/local/outbox-trigger.js';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The chain as a list of the appended records; one sweep at a time (the lease always free). */
function fakeAuditLog(audit: AuditRecord[]): AppenderPorts['audit'] {
  const stamps: { recordId: string; appendedAt: string }[] = [];
  return {
    append: async (record, recordId, _after, appendedAt) => {
      audit.push(copy(record));
      stamps.push({ recordId: recordId ?? '', appendedAt: appendedAt ?? '' });
      return { ...record, seq: audit.length, hash: '0'.repeat(64), prevHash: '0'.repeat(64) };
    },
    tail: async () => {
      const last = audit.at(-1);
      return last && { ...last, seq: audit.length, hash: '0'.repeat(64), prevHash: '0'.repeat(64) };
    },
    appendedSince: async (from) =>
      new Set(stamps.filter((s) => s.appendedAt >= from).map((s) => s.recordId)),
    // Never settled: every sweep looks its records up in the chain first.
    acquireAppender: async () => ({ previousSettled: false }),
    releaseAppender: async () => {},
  };
}

interface StoredAction {
  action: Action;
  tracking?: RemediationTracking;
  /** The decision's wake is still owed to the investigation. */
  owed?: boolean;
  /** Audit records the action's writes owe the chain (the outbox). */
  auditOwed?: OwedRecord[];
}

type ActionPorts = Pick<
  ActionStore,
  | 'get'
  | 'putPending'
  | 'putDecided'
  | 'decide'
  | 'callbackDelivered'
  | 'callbacksOwed'
  | 'transition'
  | 'track'
  | 'trackingOf'
  | 'requestUndo'
  | 'failUndo'
  | 'read'
  | 'readMany'
  | 'auditOwed'
  | 'auditOwedBy'
  | 'clearAuditOwed'
>;

export class FakeActions implements ActionPorts {
  readonly items = new Map<string, StoredAction>();
  /** The table's stream: runs the appender after a write that owes an audit record. */
  onOwed?: () => Promise<unknown>;
  /** Actions this store created (a put that found the action is not counted). */
  created = 0;
  /** readMany calls (a bulk decision reads its actions in one). */
  batchReads = 0;

  seed(action: Action, extra: Omit<StoredAction, 'action'> = {}): void {
    this.items.set(action.id, { action: copy(action), ...copy(extra) });
  }

  async get(id: string): Promise<Action | undefined> {
    const item = this.items.get(id);
    return item && copy(item.action);
  }

  async putPending(
    action: Action,
    audit?: AuditRecord,
  ): Promise<{ action: Action; created: boolean }> {
    const current = this.items.get(action.id);
    if (current) return { action: copy(current.action), created: false };
    this.seed(action, audit ? { auditOwed: [owedRecordOf(audit)] } : {});
    this.created += 1;
    if (audit) await this.onOwed?.();
    return { action: copy(action), created: true };
  }

  async putDecided(
    action: Action,
    audit: AuditRecord,
  ): Promise<{ action: Action; created: boolean }> {
    const current = this.items.get(action.id);
    if (current) return { action: copy(current.action), created: false };
    this.seed(action, { auditOwed: [owedRecordOf(audit)] });
    this.created += 1;
    await this.onOwed?.();
    return { action: copy(action), created: true };
  }

  async decide(id: string, request: DecideRequest, now: Date, audit: AuditRecord): Promise<Action> {
    const current = this.items.get(id);
    if (!current) throw new NotFoundError(`Action ${id} not found`);
    if (current.action.status !== 'Pending') {
      throw new ConflictError(`Action ${id} is already ${current.action.status}`, current.action);
    }
    if (Date.parse(current.action.expiresAt) <= now.getTime()) {
      throw new ExpiredError(`Action ${id} expired at ${current.action.expiresAt}`, current.action);
    }
    const decision: Decision = { by: request.by, at: now.toISOString(), automated: false };
    if (request.comment !== undefined) decision.comment = request.comment;
    current.action = {
      ...current.action,
      status: request.verdict === 'approve' ? 'Approved' : 'Rejected',
      decision,
      updatedAt: decision.at,
    };
    current.owed = true;
    current.auditOwed = [...(current.auditOwed ?? []), owedRecordOf(audit)];
    const decided = copy(current.action);
    await this.onOwed?.();
    return decided;
  }

  async callbackDelivered(id: string): Promise<void> {
    const current = this.items.get(id);
    if (current) current.owed = false;
  }

  async callbacksOwed(limit: number): Promise<Action[]> {
    return [...this.items.values()]
      .filter((i) => i.owed)
      .map((i) => copy(i.action))
      .sort((a, b) => (a.decision?.at ?? '').localeCompare(b.decision?.at ?? ''))
      .slice(0, limit);
  }

  async transition(
    id: string,
    to: ActionStatus,
    now: Date,
    patch: ActionPatch = {},
    audit?: AuditRecord,
  ) {
    const current = this.items.get(id);
    if (!current) throw new NotFoundError(`Action ${id} not found`);
    if (!canTransition(current.action.status, to)) {
      if (current.action.status === to) return copy(current.action);
      throw new ConflictError(`Action ${id} is ${current.action.status}`, copy(current.action));
    }
    const { tracking, ...fields } = patch;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    current.action = {
      ...current.action,
      ...copy(defined),
      status: to,
      updatedAt: now.toISOString(),
    };
    if (audit) current.auditOwed = [...(current.auditOwed ?? []), owedRecordOf(audit)];
    // As the store: a move settles the wake its decision was owed.
    current.owed = false;
    // As the store: tracking is kept with a Running action only.
    if (tracking) current.tracking = copy(tracking);
    else if (to !== 'Running') current.tracking = undefined;
    const moved = copy(current.action);
    if (audit) await this.onOwed?.();
    return moved;
  }

  async auditOwed(limit: number): Promise<string[]> {
    return [...this.items.entries()]
      .filter(([, i]) => i.auditOwed?.length)
      .sort(([, a], [, b]) => a.action.updatedAt.localeCompare(b.action.updatedAt))
      .map(([id]) => id)
      .slice(0, limit);
  }

  async auditOwedBy(id: string): Promise<OwedRecord[]> {
    return copy(this.items.get(id)?.auditOwed ?? []);
  }

  async clearAuditOwed(id: string, recordIds: readonly string[]): Promise<void> {
    const current = this.items.get(id);
    if (!current?.auditOwed) return;
    current.auditOwed = current.auditOwed.filter((r) => !recordIds.includes(r.recordId));
  }

  async track(id: string, tracking: RemediationTracking): Promise<void> {
    const current = this.items.get(id);
    if (!current) throw new NotFoundError(`Action ${id} not found`);
    const undoing = current.action.status === 'Completed' && current.action.undoRequested;
    if (current.action.status !== 'Running' && !undoing) {
      throw new ConflictError(`Action ${id} is ${current.action.status}`, copy(current.action));
    }
    current.tracking = copy(tracking);
  }

  async read(id: string): Promise<Action> {
    const item = this.items.get(id);
    if (!item) throw new NotFoundError(`Action ${id} not found`);
    return copy(item.action);
  }

  async readMany(ids: readonly string[]): Promise<Map<string, Action>> {
    this.batchReads += 1;
    const found = new Map<string, Action>();
    for (const id of ids) {
      const item = this.items.get(id);
      if (item) found.set(id, copy(item.action));
    }
    return found;
  }

  /** As the store: once per Completed, undoable action, unless the earlier request lapsed. */
  async requestUndo(
    id: string,
    request: UndoRequest,
    lapsedBefore: Date,
    audit: AuditRecord,
  ): Promise<Action> {
    const current = this.items.get(id);
    if (!current) throw new NotFoundError(`Action ${id} not found`);
    const { action } = current;
    const held =
      action.undoRequested !== undefined &&
      Date.parse(action.undoRequested.at) >= lapsedBefore.getTime();
    if (action.status !== 'Completed' || !action.undoable || held) {
      throw new ConflictError(`Action ${id} cannot be undone now`, copy(action));
    }
    const { undoFailure: _failure, ...rest } = action;
    current.action = { ...rest, undoRequested: copy(request), updatedAt: request.at };
    current.tracking = undefined;
    current.auditOwed = [...(current.auditOwed ?? []), owedRecordOf(audit)];
    const requested = copy(current.action);
    await this.onOwed?.();
    return requested;
  }

  async failUndo(id: string, failure: UndoFailure, audit: AuditRecord): Promise<Action> {
    const current = this.items.get(id);
    if (!current) throw new NotFoundError(`Action ${id} not found`);
    const { action } = current;
    if (action.status !== 'Completed' || action.undoRequested?.at !== failure.requestedAt) {
      if (action.undoFailure?.requestedAt === failure.requestedAt) return copy(action);
      throw new ConflictError(`Action ${id} is ${action.status}`, copy(action));
    }
    const { undoRequested: _request, ...rest } = action;
    current.action = { ...rest, undoFailure: copy(failure), updatedAt: failure.at };
    current.tracking = undefined;
    current.auditOwed = [...(current.auditOwed ?? []), owedRecordOf(audit)];
    const failed = copy(current.action);
    await this.onOwed?.();
    return failed;
  }

  async trackingOf(investigationId: string): Promise<Map<string, RemediationTracking>> {
    const tracked = new Map<string, RemediationTracking>();
    for (const { action, tracking } of this.items.values()) {
      const kept = action.status === 'Running' || action.status === 'Completed';
      if (action.investigationId === investigationId && kept && tracking) {
        tracked.set(action.id, copy(tracking));
      }
    }
    return tracked;
  }

  /** The stored actions of an investigation, in the store's order. */
  of(investigationId: string): Action[] {
    return [...this.items.values()]
      .map((i) => copy(i.action))
      .filter((a) => a.investigationId === investigationId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}

interface StoredInvestigation extends InvestigationRecord {
  waitToken?: string;
  wakes: number;
  revision?: number;
  executionName?: string;
}

type InvestigationPorts = Pick<
  InvestigationStore,
  | 'createOnce'
  | 'get'
  | 'update'
  | 'registerWait'
  | 'wake'
  | 'wakesOf'
  | 'mergeEvidence'
  | 'wakeOrReopen'
>;

export class FakeInvestigations implements InvestigationPorts {
  readonly items = new Map<string, StoredInvestigation>();
  updates = 0;
  /** Writes of analyzed evidence: an investigation is analyzed once. */
  analyses = 0;

  constructor(private readonly actions: FakeActions) {}

  async createOnce(record: InvestigationRecord) {
    const existing = this.items.get(record.investigation.id);
    if (existing) return { investigation: copy(existing.investigation), created: false };
    this.items.set(record.investigation.id, { ...copy(record), wakes: 0 });
    return { investigation: copy(record.investigation), created: true };
  }

  private stored(id: string): StoredInvestigation {
    const item = this.items.get(id);
    if (!item) throw new NotFoundError(`Investigation ${id} not found`);
    return item;
  }

  async get(id: string) {
    const item = this.stored(id);
    return {
      investigation: copy(item.investigation),
      evidence: copy(item.evidence),
      ...(item.threatsFound !== undefined && { threatsFound: item.threatsFound }),
      actions: this.actions.of(id),
    };
  }

  async update(
    id: string,
    patch: InvestigationPatch,
    options: { ifWakes?: number } = {},
  ): Promise<Investigation> {
    const item = this.stored(id);
    if (options.ifWakes !== undefined && options.ifWakes !== item.wakes) {
      throw new ConflictError(`Investigation ${id} changed meanwhile`);
    }
    this.updates += 1;
    const { evidence, threatsFound, ...fields } = patch;
    if (evidence) {
      item.evidence = copy(evidence as Entity[]);
      this.analyses += 1;
    }
    if (threatsFound !== undefined) item.threatsFound = threatsFound;
    item.investigation = { ...item.investigation, ...copy(fields) } as Investigation;
    // As the store's REMOVE: a null field is taken away.
    for (const [key, value] of Object.entries(fields)) {
      if (value === null) delete (item.investigation as Record<string, unknown>)[key];
    }
    return copy(item.investigation);
  }

  async registerWait(id: string, taskToken: string): Promise<{ wakes: number }> {
    const item = this.stored(id);
    item.waitToken = taskToken;
    return { wakes: item.wakes };
  }

  async wake(id: string) {
    const item = this.stored(id);
    item.wakes += 1;
    return item.waitToken === undefined ? {} : { waitToken: item.waitToken };
  }

  readonly startsNoted = new Set<string>();

  async markStarted(id: string): Promise<boolean> {
    if (!this.items.has(id)) throw new NotFoundError(`Investigation ${id} not found`);
    if (this.startsNoted.has(id)) return false;
    this.startsNoted.add(id);
    return true;
  }

  /** As the store: a new entity or a worse verdict is merged; an open one is woken, a concluded one reopened. */
  async mergeEvidence(id: string, incoming: Entity[]) {
    const item = this.stored(id);
    const executionName = item.executionName ?? id;
    const merged = mergeEvidence(item.evidence, incoming);
    if (!merged.changed) return { outcome: 'unchanged' as const, executionName };
    item.evidence = merged.evidence;
    item.threatsFound = undefined;
    item.revision = (item.revision ?? 0) + 1;
    if (item.investigation.endedAt) {
      const { endedAt: _ended, ...open } = item.investigation;
      item.investigation = { ...open, status: 'Running' };
      item.executionName = `${id}-u${item.revision}`;
      return { outcome: 'reopened' as const, executionName: item.executionName };
    }
    item.wakes += 1;
    return {
      outcome: 'merged' as const,
      executionName,
      ...(item.waitToken !== undefined && { waitToken: item.waitToken }),
    };
  }

  /** As the store: an open investigation is woken, a concluded one reopened. */
  async wakeOrReopen(id: string) {
    const item = this.stored(id);
    const executionName = item.executionName ?? id;
    item.revision = (item.revision ?? 0) + 1;
    if (item.investigation.endedAt) {
      const { endedAt: _ended, ...open } = item.investigation;
      item.investigation = { ...open, status: 'Running' };
      item.executionName = `${id}-u${item.revision}`;
      return { outcome: 'reopened' as const, executionName: item.executionName };
    }
    item.wakes += 1;
    return {
      outcome: 'woken' as const,
      executionName,
      ...(item.waitToken !== undefined && { waitToken: item.waitToken }),
    };
  }

  async wakesOf(id: string): Promise<number> {
    return this.items.get(id)?.wakes ?? 0;
  }
}

export class FakeDedup {
  readonly claims = new Map<string, { actionId: string; approvedAt: string }>();

  async claim(request: { dedupKey: string; actionId: string; approvedAt: string }) {
    const held = this.claims.get(request.dedupKey);
    if (held && held.actionId !== request.actionId) {
      return { won: false as const, duplicateOf: held.actionId, approvedAt: held.approvedAt };
    }
    this.claims.set(request.dedupKey, {
      actionId: request.actionId,
      approvedAt: request.approvedAt,
    });
    return { won: true as const };
  }
}

/**
 * A connector whose next answers (to submit or status, in order) are scripted: progress, or an
 * error to throw. Unscripted, an action completes at once.
 */
export class FakeConnector implements Connector {
  readonly name = 'fake';
  timeoutSeconds = 3600;
  readonly calls: { verb: 'submit' | 'status' | 'undo'; actionId: string; ref?: string }[] = [];
  readonly script: (RemediationProgress | Error)[] = [];
  /** The next answers to undo, in order; unscripted, an undo succeeds. */
  readonly undoScript: (ConnectorOutcome | Error)[] = [];
  /** How long each call takes, in real milliseconds. */
  latencyMs = 0;

  private async answer(): Promise<RemediationProgress> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const next = this.script.shift() ?? { state: 'completed', outcome: 'Done' };
    if (next instanceof Error) throw next;
    return next;
  }

  async submit(action: Action): Promise<RemediationProgress> {
    this.calls.push({ verb: 'submit', actionId: action.id });
    return this.answer();
  }

  async status(action: Action, ref?: string): Promise<RemediationProgress> {
    this.calls.push({ verb: 'status', actionId: action.id, ...(ref !== undefined && { ref }) });
    return this.answer();
  }

  async undo(action: Action): Promise<ConnectorOutcome> {
    this.calls.push({ verb: 'undo', actionId: action.id });
    const next = this.undoScript.shift() ?? { outcome: 'Restored' };
    if (next instanceof Error) throw next;
    return next;
  }
}

/** Step Functions' SendTaskSuccess: records each resume; fails the next `failures` calls. */
export class FakeWorkflow implements Workflow {
  readonly resumed: { taskToken: string; output: unknown }[] = [];
  failures = 0;

  async resume(taskToken: string, output: unknown): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    }
    this.resumed.push({ taskToken, output: copy(output) });
  }
}

export interface FakePorts extends WorkflowPorts {
  /** The chain, for the appender the fake stream runs (and tests that run it themselves). */
  audit: AppenderPorts['audit'];
  actions: FakeActions;
  investigations: FakeInvestigations;
  fakes: {
    actions: FakeActions;
    investigations: FakeInvestigations;
    dedup: FakeDedup;
    audit: AuditRecord[];
    connector: FakeConnector;
    workflow: FakeWorkflow;
    /** Moves the clock. */
    advance(seconds: number): void;
  };
}

export function fakePorts(start = new Date('2026-11-01T12:00:00.000Z')): FakePorts {
  let now = start.getTime();
  const actions = new FakeActions();
  const investigations = new FakeInvestigations(actions);
  const dedup = new FakeDedup();
  const audit: AuditRecord[] = [];
  const connector = new FakeConnector();
  const workflow = new FakeWorkflow();
  const clock = () => new Date(now);
  const auditLog = fakeAuditLog(audit);
  // One appender run at a time, as the lease makes it; a write during a run asks for one more.
  const appender = outboxTrigger(() => appendOwedAudit({ actions, audit: auditLog, clock }));
  actions.onOwed = () => appender.kick();
  return {
    actions,
    investigations,
    dedup,
    audit: auditLog,
    connectors: { connectorFor: () => connector },
    workflow,
    clock: () => new Date(now),
    settings: {
      pendingActionTtlSeconds: 604_800,
      automation: { endpoint: 'semi', email: 'semi' },
      assetGroups: [],
      approvalsRequired: {},
      connectorRetry: { intervalSeconds: 2, maxAttempts: 2, backoffRate: 2 },
    },
    fakes: {
      actions,
      investigations,
      dedup,
      audit,
      connector,
      workflow,
      advance: (seconds) => {
        now += seconds * 1000;
      },
    },
  };
}

/** Ingest's ports over the fakes: every source enabled, starts and rejected events recorded. */
export function fakeIngestPorts(now: Date) {
  const investigations = new FakeInvestigations(new FakeActions());
  const started = new Map<string, unknown>();
  const starts: string[] = [];
  const rejected: RejectedAlert[] = [];
  const ports: IngestPorts = {
    investigations,
    rejectedAlerts: {
      async record(alert) {
        if (!rejected.some((r) => r.id === alert.id)) rejected.push(copy(alert));
      },
    },
    workflow: { resume: async () => undefined },
    sources: enabledSources(defaultSourceSettings()),
    starter: {
      async startInvestigation(_arn, name, input) {
        starts.push(name);
        if (started.has(name)) return { started: false };
        started.set(name, input);
        return { started: true };
      },
    },
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Investigation',
    clock: () => now,
  };
  return { ports, investigations, started, starts, rejected };
}
