// PutEvents on the Action Center's bus: the EventPublisher of the Defender alert poller.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { tracer } from '../../observability.js';
import type { EventEntry, EventPublisher } from '../../services/defender-alerts.js';

export function eventBridgePublisher(options: {
  region: string;
  eventBusName: string;
  client?: EventBridgeClient;
}): EventPublisher {
  const client =
    options.client ?? tracer.captureAWSv3Client(new EventBridgeClient({ region: options.region }));
  return {
    async putEvents(entries: EventEntry[]) {
      const answer = await client.send(
        new PutEventsCommand({
          Entries: entries.map((e) => ({
            Source: e.source,
            DetailType: e.detailType,
            Detail: e.detail,
            EventBusName: options.eventBusName,
          })),
        }),
      );
      return (answer.Entries ?? []).flatMap((result, index) =>
        result.ErrorCode
          ? [{ index, code: result.ErrorCode, message: result.ErrorMessage ?? '' }]
          : [],
      );
    },
  };
}
