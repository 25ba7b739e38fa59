// DynamoDB Streams, as far as the runtime needs them: a write that owes an audit record (it sets
// the outbox index key) starts the one appender, as the table's stream filtered on that key
// invokes the reconciler in AWS; a new pending action starts the notifier, as the stream filtered
// on new pending items invokes it in AWS. One run at a time; a write during a run asks for one more.
// The runtime holds the first write's run back for a short window, as the stream's batching window
// does, so the writes of a burst (a bulk decision) share one run instead of each taking the CPU.
import { OUTBOX, QUEUE } from '../../functions/adapters/dynamodb/keys.js';
import { pendingActionIdsOf, type StreamRecord } from '../../functions/adapters/dynamodb/stream.js';
import { logger } from '../../functions/observability.js';

const WRITES = ['PutItem', 'UpdateItem', 'BatchWriteItem', 'TransactWriteItems'];
/** The outbox index key's value as a write sets it (`"S":"AUDIT_OWED"`); a clear only removes it. */
const OWES = `{"S":"${OUTBOX}"}`;

/** Whether a DynamoDB request (its X-Amz-Target and JSON body) owes an audit record. */
export function owesAudit(target: string | undefined, body: Buffer): boolean {
  const operation = target?.split('.').at(-1) ?? '';
  // Reads are most requests: their bodies are not searched.
  return WRITES.includes(operation) && body.includes(OWES);
}

/** A new pending action's item as PutItem sends it (`"queuePk":{"S":"PENDING"}`). */
const PENDING = `"queuePk":{"S":"${QUEUE.pending}"}`;

/**
 * The ids of the actions a PutItem made pending (the table's stream filtered on new pending
 * items, as the notifier's mapping is in AWS): only for a write dynalite accepted.
 */
export function newPendingActionIds(target: string | undefined, body: Buffer): string[] {
  if (target?.split('.').at(-1) !== 'PutItem' || !body.includes(PENDING)) return [];
  const { Item } = JSON.parse(body.toString('utf8')) as {
    Item?: NonNullable<StreamRecord['dynamodb']>['NewImage'];
  };
  // A PutItem that dynalite accepted inserts its item: what the stream would carry.
  return pendingActionIdsOf({ Records: [{ eventName: 'INSERT', dynamodb: { NewImage: Item } }] });
}

export interface OutboxTrigger<T = never> {
  /**
   * A write owed a record: run the appender (after the batching window, when there is one), or
   * once more after the run under way. Settles when the appender is idle again (so with that
   * record appended, unless a run failed). `items`: what the write carried for the run (the new
   * pending actions' ids, for notifications), handed to the next run.
   */
  kick(items?: readonly T[]): Promise<void>;
  /** Starts a run the window holds back at once; settles when no run is under way (the shutdown). */
  idle(): Promise<void>;
}

export interface OutboxTriggerOptions {
  /**
   * How long the first owed write waits for others to join its run, as the stream's event source
   * mapping waits up to its batching window in AWS (0: runs at once).
   */
  windowMs?: number;
  /** What runs, in the log when a run fails. */
  name?: string;
}

export function outboxTrigger<T = never>(
  append: (items: T[]) => Promise<unknown>,
  options: OutboxTriggerOptions = {},
): OutboxTrigger<T> {
  const windowMs = options.windowMs ?? 0;
  let running: Promise<void> | undefined;
  let again = false;
  /** What the writes since the last run started carried. */
  let queued: T[] = [];
  let held: { timer: NodeJS.Timeout; go: () => void; started: Promise<void> } | undefined;
  const loop = async () => {
    do {
      again = false;
      const items = queued;
      queued = [];
      try {
        await append(items);
      } catch (error) {
        // The records stay owed: the next write or the reconciler's schedule takes them.
        logger.warn(`${options.name ?? 'Audit appender'} run failed`, {
          errorName: (error as Error).name,
        });
      }
    } while (again);
  };
  const start = () => {
    running = loop().finally(() => {
      running = undefined;
    });
    return running;
  };
  /** Starts the run the window holds back, if any; answers it. */
  const release = () => {
    const run = held;
    if (!run) return undefined;
    held = undefined;
    clearTimeout(run.timer);
    run.go();
    return run.started;
  };
  return {
    kick(items = []) {
      queued.push(...items);
      if (running) {
        again = true;
        return running;
      }
      if (windowMs <= 0) return start();
      if (!held) {
        let go!: () => void;
        const started = new Promise<void>((resolve) => {
          go = resolve;
        }).then(start);
        held = { timer: setTimeout(release, windowMs).unref(), go, started };
      }
      return held.started;
    },
    idle: () => release() ?? running ?? Promise.resolve(),
  };
}
