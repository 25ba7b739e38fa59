// Builders for the core unit tests. Kept beside the tests (not in test/fixtures) so these tests
// depend only on the core they exercise.
import type { Action, ActionStatus, Decision } from '../../../functions/core/model.js';

export const T0 = new Date('2026-03-01T09:00:00.000Z');
export const WEEK_SECONDS = 604_800;

/** `seconds` after T0 as an ISO string. */
export const at = (seconds: number): string =>
  new Date(T0.getTime() + seconds * 1000).toISOString();
/** `seconds` after T0 as a Date. */
export const atDate = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

let counter = 0;

export function anAction(overrides: Partial<Action> = {}): Action {
  counter += 1;
  const createdAt = overrides.createdAt ?? at(0);
  return {
    id: `act-${'0'.repeat(20)}-${counter.toString(16).padStart(12, '0')}`,
    investigationId: `inv-${'0'.repeat(20)}`,
    alertId: 'alert-1',
    type: 'quarantineFile',
    category: 'endpoint',
    target: {
      kind: 'file',
      id: `file-${counter}`,
      displayName: `invoice-${counter}.exe`,
      deviceId: 'dev-1',
    },
    severity: 'high',
    source: 'AutomatedInvestigation',
    status: 'Pending',
    undoable: true,
    createdAt,
    updatedAt: createdAt,
    expiresAt: new Date(Date.parse(createdAt) + WEEK_SECONDS * 1000).toISOString(),
    ...overrides,
  };
}

export const byOperator = (atIso: string, comment?: string): Decision => ({
  by: 'analyst@example.com',
  at: atIso,
  automated: false,
  ...(comment === undefined ? {} : { comment }),
});

export const byAutomation = (atIso: string): Decision => ({
  by: 'Automation',
  at: atIso,
  automated: true,
});

/** An action created at `from` seconds after T0 and decided by an operator at `to`. */
export function decided(from: number, to: number, status: ActionStatus = 'Approved'): Action {
  return anAction({
    createdAt: at(from),
    updatedAt: at(to),
    expiresAt: at(from + WEEK_SECONDS),
    status,
    decision: byOperator(at(to)),
  });
}
