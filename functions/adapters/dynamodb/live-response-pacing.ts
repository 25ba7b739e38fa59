// Defender for Endpoint's live response limits, shared by every Lambda invocation: at most 10
// runliveresponse calls in any 60 seconds, 25 sessions at once and one per device. One table item
// holds the calls of the last minute and the sessions held; each turn is taken by a conditional
// write on its version, so two functions never both take the last call or the same device.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LiveResponsePacing, LiveResponseTurn } from '../connectors/defender-live-response.js';
import { isConditionalCheckFailed } from './errors.js';
import { keys } from './keys.js';

/** Microsoft's documented limits of POST /api/machines/{id}/runliveresponse. */
export const LIVE_RESPONSE_LIMITS = { callsPerMinute: 10, sessions: 25 } as const;
const MINUTE_MS = 60_000;
/** Writers racing for the item: each loser reads again, a few times, then waits its next turn. */
const MAX_RACES = 10;

interface Session {
  actionId: string;
  /** A session not released by then (its function died) is free again (epoch ms). */
  until: number;
}

interface PacingItem {
  version: number;
  calls: number[];
  sessions: Record<string, Session>;
}

export class DynamoLiveResponsePacing implements LiveResponsePacing {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: { tableName: string },
    /** How long a session is held at most: the connector's timeout. */
    private readonly leaseMs: number,
  ) {}

  async take(deviceId: string, actionId: string, now: number): Promise<LiveResponseTurn> {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const item = await this.read(now);
      const held = item.sessions[deviceId];
      if (held && held.actionId !== actionId) {
        return {
          granted: false,
          detail: `waiting for its turn: live response session of action ${held.actionId} still runs on device ${deviceId} (one session per device)`,
        };
      }
      if (!held && Object.keys(item.sessions).length >= LIVE_RESPONSE_LIMITS.sessions) {
        return {
          granted: false,
          detail: `waiting for its turn: ${LIVE_RESPONSE_LIMITS.sessions} live response sessions are running (Defender for Endpoint's limit)`,
        };
      }
      if (item.calls.length >= LIVE_RESPONSE_LIMITS.callsPerMinute) {
        const at = new Date(Math.min(...item.calls) + MINUTE_MS).toISOString();
        return {
          granted: false,
          detail: `waiting for its turn: ${LIVE_RESPONSE_LIMITS.callsPerMinute} live response calls were made in the last minute (Defender for Endpoint's limit); next turn at ${at}`,
        };
      }
      const next: PacingItem = {
        version: item.version + 1,
        calls: [...item.calls, now],
        sessions: { ...item.sessions, [deviceId]: { actionId, until: now + this.leaseMs } },
      };
      if (await this.write(item.version, next)) return { granted: true };
    }
    return { granted: false, detail: 'waiting for its turn: other live responses are starting' };
  }

  async release(deviceId: string, actionId: string, now: number): Promise<void> {
    for (let race = 0; race < MAX_RACES; race += 1) {
      const item = await this.read(now);
      if (item.sessions[deviceId]?.actionId !== actionId) return;
      const { [deviceId]: _released, ...sessions } = item.sessions;
      if (await this.write(item.version, { ...item, version: item.version + 1, sessions })) return;
    }
  }

  /** The item as of `now`: calls older than a minute and lapsed sessions dropped. */
  private async read(now: number): Promise<PacingItem> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.settings.tableName,
        Key: keys.liveResponsePacing,
        ConsistentRead: true,
      }),
    );
    const item = (Item ?? {}) as Partial<PacingItem>;
    const sessions = Object.fromEntries(
      Object.entries(item.sessions ?? {}).filter(([, s]) => s.until > now),
    );
    return {
      version: item.version ?? 0,
      calls: (item.calls ?? []).filter((at) => at > now - MINUTE_MS),
      sessions,
    };
  }

  /** Writes `next` if nobody wrote since `version` was read; false when someone did. */
  private async write(version: number, next: PacingItem): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.settings.tableName,
          Item: { ...keys.liveResponsePacing, ...next },
          ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
