// The table's stream for the tests' stores: after a write that owes an audit record, the one
// appender runs (services/audit-appender.ts) before the write returns, so a test reads the chain
// right after the call that changed an action, as it would a moment later in AWS or locally.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OUTBOX } from '../../functions/adapters/dynamodb/keys.js';
import { type AppenderPorts, appendOwedAudit } from '../../functions/services/audit-appender.js';
import { outboxTrigger } from '../../infra/local/outbox-trigger.js';

const WRITES = /^(Put|Update|BatchWrite|TransactWrite)(Item)?Command$/;

/**
 * Runs the appender after every write of `doc` that owes an audit record; answers its trigger.
 * `windowMs`: as the embedded runtime runs it instead, the first owed write holding the run back
 * that long so a burst's writes share it, and no write waiting for it.
 */
export function appendOnOutboxWrites(
  doc: DynamoDBDocumentClient,
  ports: AppenderPorts,
  options: { windowMs?: number } = {},
) {
  const windowMs = options.windowMs ?? 0;
  const trigger = outboxTrigger(() => appendOwedAudit(ports), { windowMs });
  // A table shared by harnesses started one after another keeps one trigger: the latest.
  doc.middlewareStack.remove('appendOnOutboxWrites');
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (WRITES.test(context.commandName ?? '') && JSON.stringify(args.input).includes(OUTBOX)) {
        if (windowMs > 0) void trigger.kick();
        else await trigger.kick();
      }
      return result;
    },
    { step: 'initialize', name: 'appendOnOutboxWrites' },
  );
  return trigger;
}
