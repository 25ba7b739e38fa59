// Opaque list cursors: base64url JSON with a checksum, bound to the list they came from.
// A cursor only positions a list the caller may read anyway; the checks make any edit a 400.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from '../../core/errors.js';

const KEY_NAMES = ['pk', 'sk', 'queuePk', 'queueSk', 'timelinePk', 'timelineSk'] as const;

const Position = z.strictObject({
  /** Which list (and filters) the cursor belongs to. */
  scope: z.string().max(512),
  /** The partition (month bucket) to continue in. */
  bucket: z.string().max(64).optional(),
  /** DynamoDB's ExclusiveStartKey within that partition. */
  key: z.partialRecord(z.enum(KEY_NAMES), z.string().max(2048)).optional(),
});
export type Position = z.infer<typeof Position>;

const checksum = (payload: string) =>
  createHash('sha256').update(`action-center-cursor|${payload}`).digest('base64url').slice(0, 22);

export function encodeCursor(position: Position): string {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${checksum(payload)}`;
}

export function decodeCursor(cursor: string, scope: string): Position {
  const invalid = () => new ValidationError('Invalid cursor', { fields: { cursor: 'invalid' } });
  const [payload, tag, ...rest] = cursor.split('.');
  if (!payload || !tag || rest.length > 0 || cursor.length > 4096 || checksum(payload) !== tag) {
    throw invalid();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const position = Position.safeParse(parsed);
  if (!position.success || position.data.scope !== scope) throw invalid();
  return position.data;
}
