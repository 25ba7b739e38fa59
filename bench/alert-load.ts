// Alerts sent to a runtime as a well-behaved producer sends them, and their actions watched on the
// Pending tab: shared by the ingest and back-pressure benches.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { QUEUE } from '../functions/adapters/dynamodb/keys.js';
import { TABLE } from '../functions/adapters/dynamodb/table.js';
import type { LocalAwsCredentials } from '../infra/local/aws-credentials.js';
import { benchAlert, putEvents, sleep } from './lib.js';

const BATCH = 10;

export interface AlertLoad {
  /** When the PutEvents that accepted each alert was sent, by alert id. */
  acceptedAt: Map<string, number>;
  /** When each alert's action was first seen on the Pending tab, by alert id. */
  seenAt: Map<string, number>;
  counts: { throttledEntries: number; refusedRequests: number; putEvents: number };
  /** Each PutEvents call's time, sent -> answered. */
  putLatencies: number[];
  /** Puts the alerts, each throttled entry (or a 429) sent again after Retry-After, until all are accepted. */
  send(alerts: { alertId: string }[]): Promise<void>;
  /** Sends `rate` alerts a second for `seconds` on a fixed schedule (each batch its own sender). */
  offer(rate: number, seconds: number, prefix: string): Promise<{ ids: string[]; seconds: number }>;
  /** Waits until every alert's action is seen, or `ms` passed. */
  drain(ids: string[], ms: number): Promise<void>;
  stop(): Promise<void>;
}

export function alertLoad(options: {
  url: string;
  producer: string;
  /** The runtime's AWS credentials: the watch reads the pending queue as any signed client does. */
  credentials: LocalAwsCredentials;
  tableName: string;
}): AlertLoad {
  const { url, producer, tableName } = options;
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      // The runtime's region (it inherits this environment): its front checks the signature's scope.
      region: process.env.AWS_REGION || 'us-east-1',
      endpoint: url,
      credentials: options.credentials,
    }),
  );
  const acceptedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const counts = { throttledEntries: 0, refusedRequests: 0, putEvents: 0 };
  const putLatencies: number[] = [];

  // The pending queue (the index the Pending tab lists), newest expiry first (every action waits
  // the same week, so that is newest first): a page that holds an action seen before means the
  // older pages were read already. Read through the runtime's DynamoDB endpoint, not the API, so
  // the watch costs the runtime O(new actions), not a count of the whole list 20 times a second.
  async function poll(): Promise<void> {
    let startKey: Record<string, unknown> | undefined;
    for (;;) {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.queueIndex.name,
          KeyConditionExpression: 'queuePk = :pending',
          ExpressionAttributeValues: { ':pending': QUEUE.pending },
          ScanIndexForward: false,
          ProjectionExpression: 'alertId',
          Limit: 200,
          ExclusiveStartKey: startKey,
        }),
      );
      const now = performance.now();
      let known = false;
      for (const item of out.Items ?? []) {
        const alertId = String(item.alertId);
        if (seenAt.has(alertId)) known = true;
        else if (acceptedAt.has(alertId)) seenAt.set(alertId, now);
      }
      if (known || !out.LastEvaluatedKey) return;
      startKey = out.LastEvaluatedKey;
    }
  }
  let polling = true;
  let pollFailed = false;
  const poller = (async () => {
    while (polling) {
      await poll().catch((error: Error) => {
        // Said once: a watch that cannot read would otherwise show every alert as lost.
        if (!pollFailed)
          process.stderr.write(`bench: reading the pending queue failed: ${error.message}\n`);
        pollFailed = true;
      });
      await sleep(50);
    }
  })();

  async function send(alerts: { alertId: string }[]): Promise<void> {
    let left = alerts;
    while (left.length > 0) {
      const at = performance.now();
      counts.putEvents += 1;
      const response = await fetch(`${url}/api/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${producer}` },
        body: JSON.stringify(putEvents(left)),
      }).catch(() => undefined);
      const wait = Number(response?.headers.get('retry-after') ?? 1) * 1000;
      if (response?.status !== 200) {
        counts.refusedRequests += 1;
        await response?.body?.cancel();
        await sleep(wait);
        continue;
      }
      const body = (await response.json()) as {
        Entries: { EventId?: string; ErrorCode?: string }[];
      };
      putLatencies.push(performance.now() - at);
      const retry: { alertId: string }[] = [];
      body.Entries.forEach((entry, i) => {
        const alert = left[i] as { alertId: string };
        if (entry.EventId) acceptedAt.set(alert.alertId, at);
        else if (entry.ErrorCode === 'ThrottlingException') retry.push(alert);
        else throw new Error(`${alert.alertId} refused: ${entry.ErrorCode}`);
      });
      counts.throttledEntries += retry.length;
      left = retry;
      if (left.length > 0) await sleep(wait);
    }
  }

  return {
    acceptedAt,
    seenAt,
    counts,
    putLatencies,
    send,
    async offer(rate, seconds, prefix) {
      const batchesPerSecond = rate / BATCH;
      const total = Math.round(seconds * batchesPerSecond);
      const ids: string[] = [];
      const senders: Promise<void>[] = [];
      const start = performance.now();
      for (let b = 0; b < total; b += 1) {
        const wait = start + (b / batchesPerSecond) * 1000 - performance.now();
        if (wait > 0) await sleep(wait);
        const alerts = Array.from({ length: BATCH }, (_, i) => benchAlert(`${prefix}-${b}-${i}`));
        for (const a of alerts) ids.push(a.alertId);
        senders.push(send(alerts));
      }
      await Promise.all(senders);
      return { ids, seconds: (performance.now() - start) / 1000 };
    },
    async drain(ids, ms) {
      const deadline = performance.now() + ms;
      while (ids.some((id) => !seenAt.has(id)) && performance.now() < deadline) await sleep(100);
    },
    async stop() {
      polling = false;
      await poller;
      doc.destroy();
    },
  };
}

/** The alerts' PutEvents-that-accepted -> Pending times, of those seen. */
export function toPending(load: AlertLoad, ids: string[]): number[] {
  return ids
    .filter((id) => load.seenAt.has(id))
    .map((id) => (load.seenAt.get(id) as number) - (load.acceptedAt.get(id) as number));
}
