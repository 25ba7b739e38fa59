// Writing actions: the plan's actions, decisions, status transitions and tracking, each
// one conditional write so a retried or concurrent call changes an action at most once.
import { type NativeAttributeValue, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { presentAction, sourcesOf } from '../../core/action-status.js';
import type { OwedRecord } from '../../core/audit-chain.js';
import { ConflictError, ExpiredError } from '../../core/errors.js';
import type { Action, ActionStatus, Approval, AuditRecord, Decision } from '../../core/model.js';
import type { ActionPatch, ActionStore, DecideRequest } from '../../core/ports.js';
import type { RemediationTracking } from '../../core/remediation.js';
import { actionOf, decidedActionItem, pendingActionItem } from './action-items.js';
import { appendApproval } from './approval-write.js';
import { DynamoAuditOutbox, owedItemFields, owedUpdate } from './audit-outbox.js';
import { isConditionalCheckFailed } from './errors.js';
import { type Item, putIfAbsent } from './items.js';
import { epochSeconds, keys, QUEUE, timeline } from './keys.js';
import { DynamoUndoWrites } from './undo-writes.js';

export class DynamoActionStore extends DynamoUndoWrites implements ActionStore {
  private get outbox() {
    return new DynamoAuditOutbox(this.doc, this.table);
  }

  private retentionUntil(at: string) {
    return epochSeconds(at) + this.settings.historyRetentionSeconds;
  }

  /**
   * Stores a pending action once: a replayed plan finds it and keeps it as it is. A proposal by
   * hand owes its audit record (`audit`) in the same write.
   */
  async putPending(
    action: Action,
    audit?: AuditRecord,
  ): Promise<{ action: Action; created: boolean }> {
    const item = pendingActionItem(action, this.settings.historyRetentionSeconds);
    if (
      await putIfAbsent(this.doc, this.table, audit ? { ...item, ...owedItemFields(audit) } : item)
    ) {
      return { action, created: true };
    }
    return { action: actionOf((await this.getItem(action.id)) as Item), created: false };
  }

  /** Stores an action that needs no operator (approved by automation), idempotently, owing its audit record. */
  async putDecided(
    action: Action,
    audit: AuditRecord,
  ): Promise<{ action: Action; created: boolean }> {
    const at = action.decision?.at ?? action.createdAt;
    const item = decidedActionItem(action, at, this.settings.historyRetentionSeconds);
    if (await putIfAbsent(this.doc, this.table, { ...item, ...owedItemFields(audit) })) {
      return { action, created: true };
    }
    return { action: actionOf((await this.getItem(action.id)) as Item), created: false };
  }

  /**
   * Records an operator's decision exactly once: one conditional write that succeeds only while
   * the action is Pending and unexpired. The wake of its investigation stays owed until
   * `callbackDelivered`, or, for an approval, until the workflow moves it on (`transition`). The
   * audit record is owed by the same write.
   */
  async decide(
    actionId: string,
    request: DecideRequest,
    now: Date,
    audit: AuditRecord,
  ): Promise<Action> {
    const at = now.toISOString();
    const owed = owedUpdate(audit);
    const decision: Decision = { by: request.by, at, automated: false };
    if (request.comment !== undefined) decision.comment = request.comment;
    const status: ActionStatus = request.verdict === 'approve' ? 'Approved' : 'Rejected';
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.action(actionId),
          UpdateExpression:
            'SET #status = :status, decision = :decision, updatedAt = :at, expiresAt = :retain, ' +
            'queuePk = :owed, queueSk = :queueSk, timelinePk = :tpk, timelineSk = :tsk, ' +
            owed.sets.join(', '),
          ConditionExpression: 'attribute_exists(pk) AND #status = :pending AND pendingUntil > :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':decision': decision,
            ':at': at,
            ':retain': this.retentionUntil(at),
            ':owed': QUEUE.callbackOwed,
            ':queueSk': `${at}#${actionId}`,
            ':tpk': timeline.history(at),
            ':tsk': `${at}#${actionId}`,
            ':pending': 'Pending',
            ...owed.values,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return actionOf(out.Attributes as Item);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const current = await this.existing(actionId);
    const seen = presentAction(current, now);
    if (current.status === 'Pending') {
      throw new ExpiredError(`Action ${actionId} expired at ${current.expiresAt}`, seen);
    }
    throw new ConflictError(`Action ${actionId} is already ${current.status}`, seen);
  }

  /**
   * One approval below the quorum, once (see ./approval-write.ts). A ConflictError with a Pending
   * action: another approval landed since `seen` was read.
   */
  async recordApproval(
    actionId: string,
    approval: Approval,
    seen: number,
    now: Date,
    audit: AuditRecord,
  ) {
    const recorded = await appendApproval(this.doc, this.table, {
      actionId,
      approval,
      seen,
      now,
      audit,
    });
    if (recorded) return recorded;
    const current = await this.read(actionId, now);
    if (current.status === 'Expired') throw new ExpiredError(`Action ${actionId} expired`, current);
    throw new ConflictError(
      current.status === 'Pending'
        ? `Action ${actionId} received another approval meanwhile`
        : `Action ${actionId} is already ${current.status}`,
      current,
    );
  }

  async oweAudit(actionId: string, audit: AuditRecord): Promise<void> {
    const owed = owedUpdate(audit);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.action(actionId),
        UpdateExpression: `SET ${owed.sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: owed.values,
      }),
    );
  }

  /** Records that reminder `level` was sent, once, while the action is Pending. */
  async markNotified(actionId: string, level: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.action(actionId),
          UpdateExpression: 'SET notifiedLevel = :level',
          ConditionExpression:
            '#status = :pending AND (attribute_not_exists(notifiedLevel) OR notifiedLevel < :level)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':level': level, ':pending': 'Pending' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** The decision's wake reached the workflow: nothing is owed any more. */
  async callbackDelivered(actionId: string): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.action(actionId),
          UpdateExpression: 'REMOVE queuePk, queueSk',
          ConditionExpression: 'queuePk = :owed',
          ExpressionAttributeValues: { ':owed': QUEUE.callbackOwed },
        }),
      )
      .catch((error) => {
        if (!isConditionalCheckFailed(error)) throw error;
      });
  }

  /**
   * Moves an action to `to`, conditional on it being in a status from which `to` is legal.
   * Idempotent: an action already in `to` is returned as it is (a replayed task does no harm).
   */
  async transition(
    actionId: string,
    to: ActionStatus,
    now: Date,
    patch: ActionPatch = {},
    audit?: AuditRecord,
  ): Promise<Action> {
    const at = now.toISOString();
    const from = sourcesOf(to);
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, NativeAttributeValue> = { ':to': to, ':at': at };
    const sets = ['#status = :to', 'updatedAt = :at'];
    const removes: string[] = [];
    from.forEach((s, i) => {
      values[`:from${i}`] = s;
    });
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    // Operators decide through `decide`; a transition to these leaves Pending without their
    // decision (expiry, or the System's rejection when the workflow is gone): out of the queue,
    // into history, kept for retention.
    if (to === 'Expired' || to === 'Rejected') {
      sets.push(
        'timelinePk = if_not_exists(timelinePk, :tpk)',
        'timelineSk = if_not_exists(timelineSk, :tsk)',
      );
      sets.push('expiresAt = :retain');
      values[':tpk'] = timeline.history(at);
      values[':tsk'] = `${at}#${actionId}`;
      values[':retain'] = this.retentionUntil(at);
    }
    // Out of both queues: the pending one, and the owed wakes (a workflow moving an approved
    // action has taken its decision up, so the wake it was owed is settled in the same write).
    removes.push('queuePk', 'queueSk');
    if (audit) {
      const owed = owedUpdate(audit);
      sets.push(...owed.sets);
      Object.assign(values, owed.values);
    }
    if (to !== 'Running' && patch.tracking === undefined) removes.push('tracking');
    const condition = `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`;
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.action(actionId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: `attribute_exists(pk) AND ${condition}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return actionOf(out.Attributes as Item);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const current = await this.existing(actionId);
    if (current.status === to) return current;
    throw new ConflictError(
      `Action ${actionId} is ${current.status}; it cannot become ${to}`,
      current,
    );
  }

  async track(actionId: string, tracking: RemediationTracking): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.action(actionId),
          UpdateExpression: 'SET tracking = :tracking',
          // A Running remediation, or a Completed action's undo being retried.
          ConditionExpression:
            '#status = :running OR (#status = :completed AND attribute_exists(undoRequested))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':tracking': tracking,
            ':running': 'Running',
            ':completed': 'Completed',
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const current = await this.existing(actionId);
      throw new ConflictError(
        `Action ${actionId} is ${current.status}, no longer Running or being undone`,
        current,
      );
    }
  }

  auditOwed(limit: number): Promise<string[]> {
    return this.outbox.owed(limit);
  }

  auditOwedBy(actionId: string): Promise<OwedRecord[]> {
    return this.outbox.owedBy(actionId);
  }

  clearAuditOwed(
    actionId: string,
    recordIds: readonly string[],
    read?: readonly OwedRecord[],
  ): Promise<void> {
    return this.outbox.clear(actionId, recordIds, read);
  }
}
