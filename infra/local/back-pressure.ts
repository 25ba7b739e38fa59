// Back-pressure: the runtime takes a bounded amount of work and refuses the rest in a way a client
// retries (429 with Retry-After; per entry ThrottlingException on PutEvents), so it never accepts
// more than it can finish in time, and drops nothing it accepted.
import type { IncomingMessage } from 'node:http';
import { API_PATH_PREFIX } from '../../functions/api/routes.js';
import type { EventQueue } from './event-queue.js';

/** Seconds a refused client is asked to wait. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * Investigations in progress: alerts accepted and not yet through ingest, and workflow tasks
 * running. An alert is admitted only while they stay under the limit.
 */
export function investigationLoad(limit: number) {
  const queued = new Set<string>();
  let runningTasks = 0;
  return {
    /** Whether `more` entries beyond those already admitted in this request may be accepted. */
    admits: (more: number) => queued.size + runningTasks + more < limit,
    /** The queue, counting what is accepted until it is delivered or dead-lettered. */
    counting(queue: EventQueue): EventQueue {
      return {
        ...queue,
        accept(events) {
          for (const event of events) queued.add(event.id);
          queue.accept(events);
        },
        load() {
          const events = queue.load();
          for (const event of events) queued.add(event.id);
          return events;
        },
        done(id) {
          queued.delete(id);
          queue.done(id);
        },
      };
    },
    /** A task handler counted while it runs. */
    counted<A extends unknown[], R>(handler: (...args: A) => R) {
      return async (...args: A): Promise<Awaited<R>> => {
        runningTasks += 1;
        try {
          return await handler(...args);
        } finally {
          runningTasks -= 1;
        }
      };
    },
    get size() {
      return queued.size + runningTasks;
    },
  };
}

/** The requests the in-flight bound applies to: the HTTP API and PutEvents (not the AWS back ends). */
function isBounded(request: IncomingMessage): boolean {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.startsWith('AWSEvents.');
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  return path === API_PATH_PREFIX || path.startsWith(`${API_PATH_PREFIX}/`);
}

/** At most `limit` bounded requests at once; `enter` says whether one may start. */
export function inFlightLimit(limit: number) {
  let inFlight = 0;
  return {
    enter(request: IncomingMessage): 'admitted' | 'refused' | 'unbounded' {
      if (!isBounded(request)) return 'unbounded';
      if (inFlight >= limit) return 'refused';
      inFlight += 1;
      return 'admitted';
    },
    leave() {
      inFlight -= 1;
    },
  };
}
