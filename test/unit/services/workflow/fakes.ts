// In-memory stand-ins for the workflow's ports, with the stores' semantics (conditional
// transitions, create-once, idempotent registration) and nothing else.
import { canTransition } from '../../../../functions/core/action-status.js';
import { ConflictError, NotFoundError } from '../../../../functions/core/errors.js';
import type {
  Action,
  ActionResult,
  ActionStatus,
  AuditRecord,
  Decision,
  Entity,
  Investigation,
} from '../../../../functions/core/model.js';
import type { Connector, ConnectorOutcome, Workflow } from '../../../../functions/core/ports.js';
import type { WorkflowPorts } from '../../../../functions/services/workflow/ports.js';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class FakeActions {
  readonly items = new Map<string, { action: Action; taskToken?: string; owed?: boolean }>();

  seed(action: Action, extra: { taskToken?: string; owed?: boolean } = {}): void {
    this.items.set(action.id, { action: copy(action), ...extra });
  }

  async get(id: string): Promise<Action | undefined> {
    const item = this.items.get(id);
    return item && copy(item.action);
  }

  async registerPending(action: Action, taskToken: string) {
    const current = this.items.get(action.id);
    if (!current) {
      this.items.set(action.id, { action: copy(action), taskToken });
      return { action: copy(action), created: true };
    }
    if (current.action.status === 'Pending') current.taskToken = taskToken;
    if (current.action.status === 'Approved' || current.action.status === 'Rejected') {
      current.taskToken = taskToken;
      current.owed = true;
    }
    return { action: copy(current.action), created: false };
  }

  async putDecided(action: Action): Promise<Action> {
    const current = this.items.get(action.id);
    if (current) return copy(current.action);
    this.items.set(action.id, { action: copy(action) });
    return action;
  }

  async transition(
    id: string,
    to: ActionStatus,
    now: Date,
    patch: {
      result?: ActionResult;
      skippedBecause?: Action['skippedBecause'];
      decision?: Decision;
    } = {},
  ): Promise<Action> {
    const current = this.items.get(id);
    if (!current) throw new NotFoundError(`Action ${id} not found`);
    if (!canTransition(current.action.status, to)) {
      if (current.action.status === to) return copy(current.action);
      throw new ConflictError(`Action ${id} is ${current.action.status}`, copy(current.action));
    }
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    current.action = { ...current.action, ...defined, status: to, updatedAt: now.toISOString() };
    if (to === 'Expired' || to === 'Rejected') current.taskToken = undefined;
    return copy(current.action);
  }

  async callbackDelivered(id: string): Promise<void> {
    const current = this.items.get(id);
    if (current?.owed) {
      current.owed = false;
      current.taskToken = undefined;
    }
  }
}

export class FakeInvestigations {
  readonly items = new Map<string, { investigation: Investigation; evidence: Entity[] }>();
  updates = 0;

  constructor(private readonly actions: FakeActions) {}

  async createOnce(record: { investigation: Investigation; evidence: Entity[] }) {
    const existing = this.items.get(record.investigation.id);
    if (existing) return { investigation: copy(existing.investigation), created: false };
    this.items.set(record.investigation.id, copy(record));
    return { investigation: record.investigation, created: true };
  }

  async get(id: string) {
    const item = this.items.get(id);
    if (!item) throw new NotFoundError(`Investigation ${id} not found`);
    const actions = [...this.actions.items.values()]
      .map((i) => copy(i.action))
      .filter((a) => a.investigationId === id)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return { investigation: copy(item.investigation), evidence: copy(item.evidence), actions };
  }

  async update(id: string, patch: Partial<Investigation> & { evidence?: Entity[] }) {
    const item = this.items.get(id);
    if (!item) throw new NotFoundError(`Investigation ${id} not found`);
    this.updates += 1;
    const { evidence, ...fields } = patch;
    if (evidence) item.evidence = copy(evidence);
    item.investigation = { ...item.investigation, ...copy(fields) };
    // As the store's REMOVE: a null field is taken away.
    for (const [key, value] of Object.entries(fields)) {
      if (value === null) delete (item.investigation as Record<string, unknown>)[key];
    }
    return copy(item.investigation);
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

/** A connector whose next results are scripted: an outcome, or an error to throw. */
export class FakeConnector implements Connector {
  readonly name = 'fake';
  readonly executed: string[] = [];
  readonly script: (ConnectorOutcome | Error)[] = [];

  async execute(action: Action): Promise<ConnectorOutcome> {
    this.executed.push(action.id);
    const next = this.script.shift() ?? { outcome: 'Done', detail: `did ${action.type}` };
    if (next instanceof Error) throw next;
    return next;
  }

  async undo(): Promise<ConnectorOutcome> {
    return { outcome: 'Undone' };
  }
}

export class FakeWorkflow implements Workflow {
  readonly calls: { verb: 'approve' | 'reject'; taskToken: string; detail: unknown }[] = [];

  async approve(taskToken: string, output: unknown) {
    this.calls.push({ verb: 'approve', taskToken, detail: output });
  }

  async reject(taskToken: string, reason: string) {
    this.calls.push({ verb: 'reject', taskToken, detail: reason });
  }
}

export interface FakePorts extends WorkflowPorts {
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
  return {
    actions,
    investigations: investigations as unknown as WorkflowPorts['investigations'],
    dedup,
    audit: {
      append: async (record: AuditRecord) => {
        audit.push(copy(record));
        return { ...record, seq: audit.length, hash: '0'.repeat(64), prevHash: '0'.repeat(64) };
      },
    },
    connectors: { connectorFor: () => connector },
    workflow,
    clock: () => new Date(now),
    settings: { pendingActionTtlSeconds: 604_800, automation: { endpoint: 'semi', email: 'semi' } },
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
