// The EventBridge stand-in: PutEvents in, validated as AWS validates it, the same rule pattern as
// CDK on one named bus. Each accepted entry gets its EventId at once and is delivered afterwards,
// so (as in AWS) a target's failure never shows in the answer: it is retried, then dead-lettered.
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod';
import {
  type AlertRule,
  DEFAULT_EVENT_BUS_NAME,
  routesToIngest,
} from '../../../functions/ingest/rule.js';

/** PutEvents' limit on the entries' total size, counted as AWS counts it. */
export const ENTRIES_SIZE_LIMIT = 256 * 1024;
const LOCAL_ACCOUNT = '000000000000';

const Entry = z.object({
  Source: z.string().optional(),
  DetailType: z.string().optional(),
  Detail: z.string().optional(),
  EventBusName: z.string().optional(),
  Resources: z.array(z.string()).optional(),
  /** Epoch seconds (what the SDK and the CLI send) or an ISO 8601 string. */
  Time: z.union([z.number(), z.string()]).optional(),
  TraceHeader: z.string().optional(),
});
type Entry = z.infer<typeof Entry>;
const PutEventsRequest = z.object({ Entries: z.array(Entry).optional().nullable() });

export type PutEventsEntryResult =
  | { EventId: string }
  | { ErrorCode: string; ErrorMessage: string };

/** A whole-request error, in AWS's JSON error shape. */
export interface AwsError {
  __type: string;
  message: string;
}

export type PutEventsAnswer =
  | { status: 200; body: { FailedEntryCount: number; Entries: PutEventsEntryResult[] } }
  | { status: 400; body: AwsError };

export interface EventBus {
  /** Answers a PutEvents request body (its JSON text). */
  putEvents(body: string): PutEventsAnswer;
}

type Event = EventBridgeEvent<string, unknown>;

const invalid = (message: string): PutEventsAnswer => ({
  status: 400,
  body: { __type: 'ValidationException', message },
});
const unreadable = (message: string): PutEventsAnswer => ({
  status: 400,
  body: { __type: 'SerializationException', message },
});
const invalidArgument = (field: string, reason: string): PutEventsEntryResult => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${field} is not valid. Reason: ${reason}`,
});

/** AWS's entry size: Time counts 14 bytes, the strings their UTF-8 length. */
function entrySize(entry: Entry): number {
  const bytes = (text?: string) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  return (
    (entry.Time === undefined ? 0 : 14) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, r) => sum + bytes(r), 0)
  );
}

/** EventBridge's time format: ISO 8601 to the second. */
const eventTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function timeOf(time: Entry['Time']): Date | undefined {
  if (time === undefined) return new Date();
  const date = typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function createEventBus(options: {
  /** The alert rules (functions/ingest/rule.ts): one per enabled source. */
  rules: readonly AlertRule[];
  /** The bus our own alert rules are on (EVENT_BUS_NAME, as CDK's eventBusName). */
  busName: string;
  region: string;
  /** Hands accepted events to the rule's target, after the answer. */
  deliver: (events: Event[]) => void;
  /** Whether `more` alerts beyond those this request already admitted may be taken (back-pressure). */
  admits?: (more: number) => boolean;
}): EventBus {
  const arnPrefix = `arn:aws:events:${options.region}:${LOCAL_ACCOUNT}:event-bus/`;
  // An entry without EventBusName goes to the account's default bus, as in AWS; an ARN names its bus.
  const busOf = (name = DEFAULT_EVENT_BUS_NAME) =>
    name.startsWith(arnPrefix) ? name.slice(arnPrefix.length) : name;

  function accept(entry: Entry, toDeliver: Event[]): PutEventsEntryResult {
    if (!entry.Source) return invalidArgument('Source', 'Source is a required argument.');
    if (!entry.DetailType) {
      return invalidArgument('DetailType', 'DetailType is a required argument.');
    }
    if (entry.Detail === undefined) {
      return invalidArgument('Detail', 'Detail is a required argument.');
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      detail = undefined;
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const time = timeOf(entry.Time);
    if (!time) return invalidArgument('Time', 'Time is not a timestamp.');
    const event: Event = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: LOCAL_ACCOUNT,
      time: eventTime(time),
      region: options.region,
      resources: entry.Resources ?? [],
      detail,
    };
    // On another bus, or matching no rule, an event is accepted and goes nowhere, as in AWS.
    if (routesToIngest(event, options.rules, busOf(entry.EventBusName), options.busName)) {
      if (options.admits && !options.admits(toDeliver.length)) {
        return { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' };
      }
      toDeliver.push(event);
    }
    return { EventId: event.id };
  }

  return {
    putEvents(text) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return unreadable('The request body is not valid JSON');
      }
      const parsed = PutEventsRequest.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return unreadable(
          `Unexpected value at '${issue?.path.join('.') || 'body'}': ${issue?.message}`,
        );
      }
      const entries = parsed.data.Entries;
      if (!entries) {
        return invalid(
          "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
        );
      }
      if (entries.length < 1 || entries.length > 10) {
        const bound =
          entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10';
        return invalid(
          `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`,
        );
      }
      if (entries.reduce((sum, e) => sum + entrySize(e), 0) > ENTRIES_SIZE_LIMIT) {
        return invalid('Total size of the entries in the request is over the limit.');
      }
      const toDeliver: Event[] = [];
      const results = entries.map((entry) => accept(entry, toDeliver));
      if (toDeliver.length > 0) options.deliver(toDeliver);
      const failed = results.filter((r) => 'ErrorCode' in r).length;
      return { status: 200, body: { FailedEntryCount: failed, Entries: results } };
    },
  };
}
