// Lambda entry: the notifier. On batches of the table's stream (new items whose queue key is
// PENDING: actions waiting for a person) it sends one ActionsPending message per investigation;
// on its schedule (any other event), the reminders and escalations now due, then the day's digest
// once its hour has come. The local runtime
// invokes it the same two ways.
import { pendingActionIdsOf, type StreamRecord } from '../adapters/dynamodb/stream.js';
import { notificationChannels } from '../adapters/notify/index.js';
import type { Config } from '../config.js';
import { sendDigest } from '../services/digest.js';
import { notifyPending } from '../services/notify.js';
import { remindOverdue } from '../services/reminders.js';
import { adaptersFor, lambdaHandler, type Overrides } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) => {
  const { stores, clock } = adaptersFor(config, overrides);
  const channels = notificationChannels(config.notify);
  const links = config.links;
  return async (event: { Records?: StreamRecord[] }) => {
    if (channels.length === 0 || !links?.publicUrl) return { messages: 0, failed: 0 };
    const shared = {
      channels,
      links: { key: links.secret, ttlHours: links.ttlHours, publicUrl: links.publicUrl },
      clock,
    };
    if (!Array.isArray(event?.Records)) {
      const reminders = await remindOverdue({
        ...shared,
        actions: stores.actions,
        investigations: stores.investigations,
        sla: config.notify.sla,
        escalation: config.notify.escalation,
      });
      const digest = await sendDigest({
        ...shared,
        actions: stores.actions,
        claims: stores.notificationClaims,
        digestHour: config.notify.digestHour,
      });
      return {
        messages: reminders.messages + digest.messages,
        failed: reminders.failed + digest.failed,
      };
    }
    return notifyPending(
      { ...shared, investigations: stores.investigations, claims: stores.notificationClaims },
      pendingActionIdsOf(event),
    );
  };
};

export const handler = lambdaHandler(wire);
