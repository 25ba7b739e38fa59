// In-memory stand-ins for the notifier's ports: a channel that keeps what it is sent (or fails as
// the HTTP channels do), and the record of batches already sent.
import type { NotificationMessage } from '../../functions/core/notification-messages.js';
import type { NotificationChannel, NotificationClaims } from '../../functions/core/ports.js';

export type RecordingChannel = NotificationChannel & { sent: NotificationMessage[] };

/** A channel that keeps each message, or, with `fails`, refuses each as DeliveryFailed. */
export function recordingChannel(name: string, fails = false): RecordingChannel {
  const sent: NotificationMessage[] = [];
  return {
    name,
    sent,
    send: async (message) => {
      if (fails) {
        throw Object.assign(new Error('down'), {
          name: 'DeliveryFailed',
          reason: 'HTTP 503',
          attempts: 4,
        });
      }
      sent.push(message);
    },
  };
}

/** The batches recorded as sent, in memory. */
export function memoryClaims(): NotificationClaims & { keys: Set<string> } {
  const keys = new Set<string>();
  return {
    keys,
    wasSent: async (key) => keys.has(key),
    claim: async (key) => {
      if (keys.has(key)) return false;
      keys.add(key);
      return true;
    },
  };
}
