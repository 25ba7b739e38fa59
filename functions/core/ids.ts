// Deterministic ids: the same alert always maps to the same investigation (and execution name),
// the same investigation + action + target to the same action. Ids are validated before any read.
import { createHash } from 'node:crypto';
import { ValidationError } from './errors.js';
import { ACTION_ID_PATTERN, INVESTIGATION_ID_PATTERN } from './id-format.js';

const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

const INVESTIGATION_ID = INVESTIGATION_ID_PATTERN;
const ACTION_ID = ACTION_ID_PATTERN;

export function investigationIdFor(alertId: string): string {
  return `inv-${digest(`alert|${alertId}`, 20)}`;
}

export function actionIdFor(investigationId: string, dedupKey: string): string {
  return `act-${investigationId.slice(4)}-${digest(dedupKey, 12)}`;
}

export function isInvestigationId(id: string): boolean {
  return INVESTIGATION_ID.test(id);
}

export function isActionId(id: string): boolean {
  return ACTION_ID.test(id);
}

/** The investigation an action belongs to, read from its id. */
export function investigationIdOf(actionId: string): string {
  const match = ACTION_ID.exec(actionId);
  if (!match) throw new ValidationError('Invalid action id', { fields: { id: 'malformed' } });
  return `inv-${match[1]}`;
}

export function assertInvestigationId(id: string): void {
  if (!isInvestigationId(id)) {
    throw new ValidationError('Invalid investigation id', { fields: { id: 'malformed' } });
  }
}
