// The local stand-in for the alert rule's dead-letter queue: events whose delivery kept failing,
// kept in DATA_DIR (owner-only, like everything there) or in memory, until an admin redrives them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { writePrivateFile } from './data-dir.js';

export interface DeadLetter {
  event: EventBridgeEvent<string, unknown>;
  /** The last delivery error, as the target answered it. */
  error: string;
  attempts: number;
  deadLetteredAt: string;
}

export interface DeadLetterStore {
  list(): DeadLetter[];
  add(letter: DeadLetter): void;
  /** Removes and returns every dead letter (for a redrive). */
  takeAll(): DeadLetter[];
}

export const DEAD_LETTER_FILE = 'dead-letters.json';

/** On disk under `dataDir` (one JSON file, rewritten whole: a dead letter is rare), else in memory. */
export function deadLetterStore(dataDir?: string): DeadLetterStore {
  const path = dataDir ? join(dataDir, DEAD_LETTER_FILE) : undefined;
  let letters: DeadLetter[] =
    path && existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DeadLetter[]) : [];
  const save = () => {
    if (path) writePrivateFile(path, JSON.stringify(letters));
  };
  return {
    list: () => [...letters],
    add(letter) {
      letters.push(letter);
      save();
    },
    takeAll() {
      const taken = letters;
      letters = [];
      save();
      return taken;
    },
  };
}
