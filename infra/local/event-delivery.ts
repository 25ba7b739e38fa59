// How the local EventBridge stand-in hands events to the rule's target once PutEvents has answered:
// asynchronously, with retries and backoff, and a dead letter when the retries run out, as AWS does.
import type { EventBridgeEvent } from 'aws-lambda';
import { logger } from '../../functions/observability.js';
import type { DeadLetterStore } from './dead-letter-store.js';

type Event = EventBridgeEvent<string, unknown>;

export interface DeliveryRetry {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The wait before the second attempt; each later wait doubles. */
  firstDelayMs: number;
}

/** A few attempts over about a second and a half: AWS retries for hours, a laptop need not. */
export const LOCAL_RETRY: DeliveryRetry = { attempts: 4, firstDelayMs: 200 };

export interface EventDelivery {
  /** Delivers the events in order, in the background; returns at once. */
  send(events: Event[]): void;
  /** Takes every dead letter out of the store and delivers it again; how many. */
  redrive(): number;
  /** Waits for deliveries under way; events still waiting for a retry are dead-lettered. */
  close(): Promise<void>;
}

export function eventDelivery(options: {
  target: (event: Event) => Promise<unknown>;
  deadLetters: DeadLetterStore;
  retry?: DeliveryRetry;
}): EventDelivery {
  const retry = options.retry ?? LOCAL_RETRY;
  const running = new Set<Promise<void>>();
  const waits = new Set<() => void>();
  let stopped = false;

  const pause = (ms: number) =>
    new Promise<void>((done) => {
      const wake = () => {
        clearTimeout(timer);
        waits.delete(wake);
        done();
      };
      const timer = setTimeout(wake, ms);
      waits.add(wake);
    });

  async function deliver(event: Event): Promise<void> {
    let error = 'the runtime stopped before delivering it';
    let attempts = 0;
    while (attempts < retry.attempts && !stopped) {
      if (attempts > 0) await pause(retry.firstDelayMs * 2 ** (attempts - 1));
      if (stopped) break;
      attempts += 1;
      try {
        await options.target(event);
        return;
      } catch (failure) {
        error = (failure as Error).message;
        logger.warn('Event delivery failed', { eventId: event.id, attempt: attempts, error });
      }
    }
    options.deadLetters.add({ event, error, attempts, deadLetteredAt: new Date().toISOString() });
    logger.error('Event dead-lettered', { eventId: event.id, attempts, error });
  }

  function send(events: Event[]): void {
    const run = (async () => {
      for (const event of events) await deliver(event);
    })();
    running.add(run);
    void run.finally(() => running.delete(run));
  }

  return {
    send,
    redrive() {
      const letters = options.deadLetters.takeAll();
      send(letters.map((letter) => letter.event));
      return letters.length;
    },
    async close() {
      stopped = true;
      for (const wake of [...waits]) wake();
      await Promise.all([...running]);
    },
  };
}
