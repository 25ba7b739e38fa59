// Lambda entry: notifications of new pending actions. Invoked with batches of the table's stream
// (new items whose queue key is PENDING: actions waiting for a person), as the local runtime
// invokes it after its own writes; one message per investigation of the batch.

import { pendingActionIdsOf, type StreamRecord } from '../adapters/dynamodb/stream.js';
import { notificationChannels } from '../adapters/notify/index.js';
import type { Config } from '../config.js';
import { notifyPending } from '../services/notify.js';
import { adaptersFor, lambdaHandler, type Overrides } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) => {
  const { stores, clock } = adaptersFor(config, overrides);
  const channels = notificationChannels(config.notify);
  const links = config.links;
  return async (event: { Records?: StreamRecord[] }) => {
    if (channels.length === 0 || !links?.publicUrl) return { messages: 0, failed: 0 };
    return notifyPending(
      {
        investigations: stores.investigations,
        claims: stores.notificationClaims,
        channels,
        links: { key: links.secret, ttlHours: links.ttlHours, publicUrl: links.publicUrl },
        clock,
      },
      pendingActionIdsOf(event),
    );
  };
};

export const handler = lambdaHandler(wire);
