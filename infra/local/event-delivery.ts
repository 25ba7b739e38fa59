// How the local EventBridge stand-in hands events to the rule's target once PutEvents has answered:
// asynchronously, with retries and backoff, and a dead letter when the retries run out, as AWS does.
import type { EventBridgeEvent } from 'aws-lambda';
import { logger } from '../../functions/observability.js';
import type { DeadLetterStore } from './dead-letter-store.js';
import type { EventQueue } from './event-queue.js';

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
  /** Queues the events (on disk before it returns), then delivers them in order, in the background. */
  send(events: Event[]): void;
  /** Delivers again, in order, every queued event a previous run accepted and did not finish; how many. */
  resume(): number;
  /** Takes every dead letter out of the store and delivers it again; how many. */
  redrive(): number;
  /** Waits for deliveries under way; events still waiting for a retry are dead-lettered. */
  close(): Promise<void>;
}

export function eventDelivery(options: {
  target: (event: Event) => Promise<unknown>;
  deadLetters: DeadLetterStore;
  queue: EventQueue;
  retry?: DeliveryRetry;
  /** Holds each event back this long before its first attempt (tests: a kill lands before delivery). */
  delayMs?: number;
}): EventDelivery {
  const retry = options.retry ?? LOCAL_RETRY;
  const delayMs = options.delayMs ?? 0;
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
    if (delayMs > 0) await pause(delayMs);
    while (attempts < retry.attempts && !stopped) {
      if (attempts > 0) await pause(retry.firstDelayMs * 2 ** (attempts - 1));
      if (stopped) break;
      attempts += 1;
      try {
        await options.target(event);
        options.queue.done(event.id);
        return;
      } catch (failure) {
        error = (failure as Error).message;
        logger.warn('Event delivery failed', { eventId: event.id, attempt: attempts, error });
      }
    }
    options.deadLetters.add({ event, error, attempts, deadLetteredAt: new Date().toISOString() });
    options.queue.done(event.id);
    logger.error('Event dead-lettered', { eventId: event.id, attempts, error });
  }

  function start(events: Event[]): void {
    const run = (async () => {
      for (const event of events) await deliver(event);
    })();
    running.add(run);
    void run.finally(() => running.delete(run));
  }

  function send(events: Event[]): void {
    options.queue.accept(events);
    start(events);
  }

  return {
    send,
    resume() {
      const pending = options.queue.load();
      start(pending);
      return pending.length;
    },
    redrive() {
      // Queued before they leave the store: a kill in between redelivers, it never loses.
      send(options.deadLetters.list().map((letter) => letter.event));
      return options.deadLetters.takeAll().length;
    },
    async close() {
      stopped = true;
      for (const wake of [...waits]) wake();
      await Promise.all([...running]);
    },
  };
}
