// The EventBridge stand-in's queue of accepted events not yet delivered, kept in DATA_DIR (one JSON
// line per change, owner-only), so a kill -9 after PutEvents answered loses none of them, as in AWS.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { appendPrivateFile, writePrivateFile } from './data-dir.js';

type Event = EventBridgeEvent<string, unknown>;

export interface EventQueue {
  /** Records a request's accepted events, in one synchronous write, before PutEvents answers. */
  accept(events: Event[]): void;
  /** Records that the event was delivered or dead-lettered: a restart will not deliver it again. */
  done(eventId: string): void;
  /** The events accepted and not done, in the order accepted; compacts the file (call at start). */
  load(): Event[];
}

export const EVENT_QUEUE_FILE = 'event-queue.jsonl';

type Line = { accepted: Event } | { done: string };

/** On disk under `dataDir`, else nothing is kept (STORAGE=memory: a restart starts empty anyway). */
export function eventQueue(dataDir?: string): EventQueue {
  if (!dataDir) return { accept: () => undefined, done: () => undefined, load: () => [] };
  const file = join(dataDir, EVENT_QUEUE_FILE);
  const append = (lines: Line[]) =>
    appendPrivateFile(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  return {
    accept(events) {
      if (events.length > 0) append(events.map((event) => ({ accepted: event })));
    },
    done(eventId) {
      append([{ done: eventId }]);
    },
    load() {
      if (!existsSync(file)) return [];
      const pending = new Map<string, Event>();
      for (const text of readFileSync(file, 'utf8').split('\n')) {
        if (text.trim() === '') continue;
        let line: Line;
        try {
          line = JSON.parse(text) as Line;
        } catch {
          // A line cut short by a kill mid-write: that request was never answered.
          continue;
        }
        if ('accepted' in line) pending.set(line.accepted.id, line.accepted);
        else pending.delete(line.done);
      }
      const events = [...pending.values()];
      const tmp = `${file}.tmp`;
      writePrivateFile(
        tmp,
        events.map((event) => `${JSON.stringify({ accepted: event })}\n`).join(''),
      );
      renameSync(tmp, file);
      return events;
    },
  };
}
