// Opaque list cursors: base64url JSON with an HMAC-SHA256 tag, bound to the list they came from.
// A cursor only positions a list the caller may read anyway; the keyed tag makes any edit or
// forgery a 400 before its start key ever reaches DynamoDB (which answers a bad one with a 500).
import { createHmac } from 'node:crypto';
import * as z from 'zod';
import { sameSecretText } from '../../core/constant-time.js';
import { ConfigError, ValidationError } from '../../core/errors.js';

const KEY_NAMES = ['pk', 'sk', 'queuePk', 'queueSk', 'timelinePk', 'timelineSk'] as const;

const Position = z.strictObject({
  /** Which list (and filters) the cursor belongs to. */
  scope: z.string().max(512),
  /** The partition (month bucket) to continue in. */
  bucket: z.string().max(64).optional(),
  /** DynamoDB's ExclusiveStartKey within that partition. */
  key: z.partialRecord(z.enum(KEY_NAMES), z.string().max(2048)).optional(),
  /** A sorted list's last sort key (value, createdAt, id): the next page starts after it. */
  after: z.tuple([z.string().max(2048), z.string().max(64), z.string().max(256)]).optional(),
  /** The list's total as its first page counted it (and whether that is a lower bound). */
  total: z.tuple([z.number().int().nonnegative(), z.boolean()]).optional(),
});
export type Position = z.infer<typeof Position>;

export interface CursorCodec {
  encode(position: Position): string;
  /** The position of a cursor this deployment issued for `scope`; a ValidationError otherwise. */
  decode(cursor: string, scope: string): Position;
}

/** Cursors keyed with CURSOR_SECRET; without one, listing past the first page is a ConfigError. */
export function cursorCodec(secret: string | undefined): CursorCodec {
  const tagOf = (payload: string) => {
    if (!secret) throw new ConfigError('CURSOR_SECRET is required to page through lists');
    return createHmac('sha256', secret).update(`action-center-cursor|${payload}`).digest();
  };
  return {
    encode(position) {
      const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
      return `${payload}.${tagOf(payload).toString('base64url')}`;
    },
    decode(cursor, scope) {
      const invalid = () =>
        new ValidationError('Invalid cursor', { fields: { cursor: 'invalid' } });
      const [payload, tag, ...rest] = cursor.split('.');
      if (!payload || !tag || rest.length > 0 || cursor.length > 4096) throw invalid();
      if (!sameSecretText(tag, tagOf(payload).toString('base64url'))) throw invalid();
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw invalid();
      }
      const position = Position.safeParse(parsed);
      if (!position.success || position.data.scope !== scope) throw invalid();
      return position.data;
    },
  };
}
