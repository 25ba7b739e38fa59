// The Defender alert poller's PutEvents, locally: the same EventBridge stand-in and checks a
// PutEvents request to POST /api/events goes through, called in-process.
import type { EventPublisher } from '../../functions/services/defender-alerts.js';
import type { EventBus } from './http/event-bus.js';

export function localEventPublisher(bus: EventBus, eventBusName: string): EventPublisher {
  return {
    async putEvents(entries) {
      const answer = bus.putEvents(
        JSON.stringify({
          Entries: entries.map((e) => ({
            Source: e.source,
            DetailType: e.detailType,
            Detail: e.detail,
            EventBusName: eventBusName,
          })),
        }),
      );
      if (answer.status !== 200) {
        throw new Error(`PutEvents failed: ${answer.body.__type}: ${answer.body.message}`);
      }
      return answer.body.Entries.flatMap((result, index) =>
        'ErrorCode' in result
          ? [{ index, code: result.ErrorCode, message: result.ErrorMessage }]
          : [],
      );
    },
  };
}
