// How an action is stored: its item in the pending queue or in history, and back.
import type { Action } from '../../core/model.js';
import type { ActionFilters } from '../../core/ports.js';
import type { RemediationTracking } from '../../core/remediation.js';
import { fieldsOf, type Item } from './items.js';
import { epochSeconds, keys, QUEUE, timeline } from './keys.js';
import { type Filter, oneOfFilter } from './paging.js';

const ACTION_FIELDS = [
  'id',
  'investigationId',
  'alertId',
  'type',
  'category',
  'target',
  'severity',
  'source',
  'status',
  'decision',
  'skippedBecause',
  'result',
  'undoable',
  'undoRequested',
  'undoFailure',
  'undone',
  'assetGroup',
  'alertTitle',
  'approvals',
  'proposedBy',
  'createdAt',
  'updatedAt',
] as const;

/** The stored item's `expiresAt` is the TTL (epoch seconds); the action's own is `pendingUntil`. */
export function actionOf(item: Item): Action {
  const action = fieldsOf<Action>(item, ACTION_FIELDS);
  action.expiresAt = item.pendingUntil as string;
  return action;
}

function actionItem(action: Action): Item {
  const { expiresAt, ...fields } = action;
  return {
    ...keys.action(action.id),
    ...fields,
    pendingUntil: expiresAt,
    expiresAt: epochSeconds(expiresAt),
    searchName: action.target.displayName.toLowerCase(),
  };
}

/**
 * The item of a pending action: listed in the pending queue until its expiry, and kept (TTL) for
 * the retention after it, so an expiry the workflow has yet to record never loses the action.
 */
export function pendingActionItem(action: Action, retentionSeconds: number): Item {
  return {
    ...actionItem(action),
    expiresAt: epochSeconds(action.expiresAt) + retentionSeconds,
    queuePk: QUEUE.pending,
    queueSk: `${action.expiresAt}#${action.id}`,
  };
}

/** The item of an action decided at `decidedAt`: in history, kept for the retention. */
export function decidedActionItem(
  action: Action,
  decidedAt: string,
  retentionSeconds: number,
): Item {
  return {
    ...actionItem(action),
    expiresAt: epochSeconds(decidedAt) + retentionSeconds,
    timelinePk: timeline.history(decidedAt),
    timelineSk: `${decidedAt}#${action.id}`,
  };
}

/**
 * The list filters DynamoDB applies: each property one of its values. The text (`q`) is matched
 * on the read actions (core/action-order.ts), as it searches several fields case-insensitively.
 */
export function actionFilter(filters: ActionFilters): Filter | undefined {
  const { q: _text, ...oneOf } = filters;
  return oneOfFilter(oneOf);
}

/** The tracking kept on action items: a Running remediation's, or the retries of a Completed action's undo. */
export function trackingOfItems(items: readonly Item[]): Map<string, RemediationTracking> {
  const tracked = new Map<string, RemediationTracking>();
  for (const item of items) {
    if ((item.status === 'Running' || item.status === 'Completed') && item.tracking) {
      tracked.set(item.id as string, item.tracking as RemediationTracking);
    }
  }
  return tracked;
}
