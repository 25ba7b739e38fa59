// DynamoDB Streams, as far as the audit chain needs it locally: a write that owes an audit record
// (it sets the outbox index key) starts the one appender, as the table's stream filtered on that
// key invokes the reconciler in AWS. One run at a time; a write during a run asks for one more.
import { OUTBOX } from '../../functions/adapters/dynamodb/keys.js';
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

export interface OutboxTrigger {
  /**
   * A write owed a record: run the appender now, or once more after the run under way. Settles
   * when the appender is idle again (so with that record appended, unless a run failed).
   */
  kick(): Promise<void>;
  /** Settles when no run is under way (the shutdown waits for it). */
  idle(): Promise<void>;
}

export function outboxTrigger(append: () => Promise<unknown>): OutboxTrigger {
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      try {
        await append();
      } catch (error) {
        // The records stay owed: the next write or the reconciler's schedule takes them.
        logger.warn('Audit appender run failed', { errorName: (error as Error).name });
      }
    } while (again);
  };
  return {
    kick() {
      if (running) {
        again = true;
        return running;
      }
      running = loop().finally(() => {
        running = undefined;
      });
      return running;
    },
    idle: () => running ?? Promise.resolve(),
  };
}
