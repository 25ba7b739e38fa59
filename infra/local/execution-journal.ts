// The engine keeps executions in memory; this journal keeps their records in the data directory
// (one JSON line per change), so a restarted runtime replays every execution still RUNNING.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { appendPrivateFile, writePrivateFile } from './data-dir.js';
import type { ExecutionRecord } from './engine/index.js';

export class ExecutionJournal {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'executions.jsonl');
  }

  /** The latest record of every execution, compacting the file as it goes. */
  load(): ExecutionRecord[] {
    if (!existsSync(this.file)) return [];
    const latest = new Map<string, ExecutionRecord>();
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const record = JSON.parse(line) as ExecutionRecord;
        latest.set(record.executionArn, record);
      } catch {
        // A line cut short by a kill mid-write: the record before it still stands.
      }
    }
    const records = [...latest.values()];
    const tmp = `${this.file}.tmp`;
    writePrivateFile(tmp, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    renameSync(tmp, this.file);
    return records;
  }

  /** Synchronous on purpose: the record is on disk before StartExecution answers. */
  record(execution: ExecutionRecord): void {
    appendPrivateFile(this.file, `${JSON.stringify(execution)}\n`);
  }
}
