// The EventBridge stand-in: PutEvents in, the same rule pattern as CDK, ingest as the target.
// Each entry is answered on its own; a bad entry never stops the others, nor the process.
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod';
import { type AlertRulePattern, matchesAlertRule } from '../../../functions/ingest/rule.js';
import type { IngestResult } from '../../../functions/services/ingest.js';

const PutEventsRequest = z.object({
  Entries: z
    .array(
      z.object({
        Source: z.string().optional(),
        DetailType: z.string().optional(),
        Detail: z.string().optional(),
        EventBusName: z.string().optional(),
        Resources: z.array(z.string()).optional(),
        Time: z.string().optional(),
      }),
    )
    .min(1)
    .max(10),
});

export type PutEventsEntryResult =
  | { EventId: string }
  | { ErrorCode: string; ErrorMessage: string };

export interface EventBus {
  putEvents(body: unknown): Promise<{ status: number; body: unknown }>;
}

export function createEventBus(options: {
  pattern: AlertRulePattern;
  ingest: (event: EventBridgeEvent<string, unknown>) => Promise<IngestResult>;
  region: string;
}): EventBus {
  return {
    async putEvents(body) {
      const parsed = PutEventsRequest.safeParse(body);
      if (!parsed.success) {
        return {
          status: 400,
          body: {
            error: {
              code: 'ValidationFailed',
              message: 'Expected {"Entries":[{Source, DetailType, Detail}]} with 1 to 10 entries',
              details: {
                fields: Object.fromEntries(
                  parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message]),
                ),
              },
            },
          },
        };
      }
      const entries: PutEventsEntryResult[] = [];
      for (const entry of parsed.data.Entries) {
        entries.push(await deliver(entry));
      }
      const failed = entries.filter((e) => 'ErrorCode' in e).length;
      return { status: 200, body: { FailedEntryCount: failed, Entries: entries } };
    },
  };

  async function deliver(
    entry: z.infer<typeof PutEventsRequest>['Entries'][number],
  ): Promise<PutEventsEntryResult> {
    if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
      return {
        ErrorCode: 'MalformedEntry',
        ErrorMessage: 'Source, DetailType and Detail are required',
      };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
    }
    const event: EventBridgeEvent<string, unknown> = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: '000000000000',
      time: entry.Time ?? new Date().toISOString(),
      region: options.region,
      resources: entry.Resources ?? [],
      detail,
    };
    // An event no rule matches is accepted and goes nowhere, as in EventBridge.
    if (!matchesAlertRule(event, options.pattern)) return { EventId: event.id };
    try {
      const result = await options.ingest(event);
      if (result.outcome === 'rejected') {
        return {
          ErrorCode: 'InvalidAlert',
          ErrorMessage: `${result.reason}: ${result.problems.slice(0, 10).join('; ')}`.slice(
            0,
            2000,
          ),
        };
      }
      return { EventId: event.id };
    } catch {
      return {
        ErrorCode: 'InternalFailure',
        ErrorMessage: 'The alert could not be delivered; try again',
      };
    }
  }
}
