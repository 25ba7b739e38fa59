// The built-in connector: touches no external system. It records the change a real connector
// would make in a journal item keyed by the action id (its idempotency key) and in the log, so
// a demo or a small team sees exactly what was approved, and undo has something to reverse.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Action, ActionType } from '../../core/model.js';
import type { Clock, Connector, ConnectorOutcome, RemediationProgress } from '../../core/ports.js';
import { ConnectorPermanentError, ConnectorTransientError } from '../../core/workflow-errors.js';
import { logger } from '../../observability.js';
import { isConditionalCheckFailed } from '../dynamodb/errors.js';
import { epochSeconds, keys } from '../dynamodb/keys.js';

const BUILTIN_CONNECTOR = 'builtin';

/** What each action does to its target, in words (the journal and the action's result). */
const CHANGE: Record<ActionType, { verb: string; outcome: string; undoOutcome: string }> = {
  quarantineFile: {
    verb: 'Quarantine file',
    outcome: 'FileQuarantined',
    undoOutcome: 'FileRestored',
  },
  removeRegistryKey: {
    verb: 'Remove registry key',
    outcome: 'RegistryKeyRemoved',
    undoOutcome: 'RegistryKeyRestored',
  },
  killProcess: {
    verb: 'Kill process',
    outcome: 'ProcessKilled',
    undoOutcome: 'ProcessNotRestorable',
  },
  stopService: { verb: 'Stop service', outcome: 'ServiceStopped', undoOutcome: 'ServiceStarted' },
  disableDriver: {
    verb: 'Disable driver',
    outcome: 'DriverDisabled',
    undoOutcome: 'DriverEnabled',
  },
  removeScheduledTask: {
    verb: 'Remove scheduled task',
    outcome: 'ScheduledTaskRemoved',
    undoOutcome: 'ScheduledTaskRestored',
  },
  isolateDevice: {
    verb: 'Isolate device',
    outcome: 'DeviceIsolated',
    undoOutcome: 'DeviceReleased',
  },
  softDeleteEmail: {
    verb: 'Soft-delete email',
    outcome: 'EmailSoftDeleted',
    undoOutcome: 'EmailRestored',
  },
  blockUrl: { verb: 'Block URL', outcome: 'UrlBlocked', undoOutcome: 'UrlUnblocked' },
  disableExternalForwarding: {
    verb: 'Disable external forwarding',
    outcome: 'ForwardingDisabled',
    undoOutcome: 'ForwardingRestored',
  },
  quarantineEmail: {
    verb: 'Quarantine email',
    outcome: 'EmailQuarantined',
    undoOutcome: 'EmailReleased',
  },
  quarantineAttachment: {
    verb: 'Quarantine attachment',
    outcome: 'AttachmentQuarantined',
    undoOutcome: 'AttachmentReleased',
  },
};

/** One line saying what the action changes, e.g. "Quarantine file invoice.exe on device-1". */
export function describeChange(action: Action): string {
  const { target } = action;
  const where = target.deviceId ?? target.mailbox;
  const count = target.messageCount !== undefined ? ` (${target.messageCount} messages)` : '';
  return `${CHANGE[action.type].verb} ${target.displayName}${count}${where ? ` on ${where}` : ''}`;
}

interface BuiltinConnectorSettings {
  tableName: string;
  /** How long journal items are kept, in seconds (the history retention). */
  historyRetentionSeconds: number;
}

type JournalState = 'applied' | 'undone';

/** DynamoDB trouble (throttling, a network blip) is worth retrying; the SDK already retried. */
function transient(error: unknown): never {
  if (error instanceof ConnectorTransientError || error instanceof ConnectorPermanentError) {
    throw error;
  }
  throw new ConnectorTransientError(
    `Journal unavailable: ${error instanceof Error ? error.name : 'unknown error'}`,
    { cause: error },
  );
}

/** It only writes one item: anything not finished in a minute is not going to finish. */
const BUILTIN_TIMEOUT_SECONDS = 60;

export class BuiltinConnector implements Connector {
  readonly name = BUILTIN_CONNECTOR;
  readonly timeoutSeconds = BUILTIN_TIMEOUT_SECONDS;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: BuiltinConnectorSettings,
    private readonly clock: Clock,
  ) {}

  /** Done within the call: the journal item is the change. */
  async submit(action: Action): Promise<RemediationProgress> {
    const at = this.clock().toISOString();
    const change = describeChange(action);
    const outcome = this.outcomeOf(action);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.settings.tableName,
          Item: {
            ...keys.connectorJournal(action.id),
            actionId: action.id,
            investigationId: action.investigationId,
            connector: this.name,
            type: action.type,
            target: action.target,
            change,
            state: 'applied' satisfies JournalState,
            appliedAt: at,
            expiresAt: epochSeconds(at) + this.settings.historyRetentionSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      logger.info('Remediation recorded', { connector: this.name, actionId: action.id, change });
      return { state: 'completed', ...outcome };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) transient(error);
    }
    // Already recorded: a retried task gets the same outcome, a reversed one is not redone.
    const state = await this.journalState(action.id);
    if (state === 'undone') {
      throw new ConnectorPermanentError(
        `Action ${action.id} was undone; it is not carried out again`,
      );
    }
    return { state: 'completed', ...outcome };
  }

  /** What the journal holds: a recorded change is completed (undone later or not), none failed. */
  async status(action: Action): Promise<RemediationProgress> {
    const state = await this.journalState(action.id);
    if (state === undefined) {
      return { state: 'failed', reason: `No recorded change of action ${action.id}` };
    }
    return { state: 'completed', ...this.outcomeOf(action) };
  }

  async undo(action: Action): Promise<ConnectorOutcome> {
    const at = this.clock().toISOString();
    const outcome: ConnectorOutcome = {
      outcome: CHANGE[action.type].undoOutcome,
      detail: `Reversed: ${describeChange(action)} (recorded by the built-in connector)`,
    };
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.settings.tableName,
          Key: keys.connectorJournal(action.id),
          UpdateExpression: 'SET #state = :undone, undoneAt = :at',
          ConditionExpression: '#state = :applied',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':undone': 'undone', ':applied': 'applied', ':at': at },
        }),
      );
      logger.info('Remediation reversed', { connector: this.name, actionId: action.id });
      return outcome;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) transient(error);
    }
    const state = await this.journalState(action.id);
    if (state === 'undone') return outcome;
    throw new ConnectorPermanentError(`No recorded change of action ${action.id} to undo`);
  }

  private outcomeOf(action: Action): ConnectorOutcome {
    return {
      outcome: CHANGE[action.type].outcome,
      detail: `${describeChange(action)} (recorded by the built-in connector; no external system was changed)`,
    };
  }

  private async journalState(actionId: string): Promise<JournalState | undefined> {
    try {
      const out = await this.doc.send(
        new GetCommand({
          TableName: this.settings.tableName,
          Key: keys.connectorJournal(actionId),
          ConsistentRead: true,
        }),
      );
      return out.Item?.state as JournalState | undefined;
    } catch (error) {
      return transient(error);
    }
  }
}
