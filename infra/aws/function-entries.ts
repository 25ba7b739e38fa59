// Every Lambda function's handler file: the workflow's tasks (statemachines/substitutions.ts) and
// the functions around the workflow. The stack and the bundle report both read this list.
import { TASK_FUNCTIONS } from '../../statemachines/substitutions.js';

/** Handler files outside the workflow's task list, relative to the repository root. */
export const ENTRIES = {
  ingest: 'functions/ingest/handler.ts',
  read: 'functions/api/read.ts',
  decide: 'functions/api/decide.ts',
  reconcile: 'functions/workflow/reconcile.ts',
} as const;

export interface FunctionEntry {
  readonly name: string;
  readonly entry: string;
}

export const ALL_ENTRIES: readonly FunctionEntry[] = [
  ...Object.entries(ENTRIES).map(([name, entry]) => ({ name, entry })),
  ...TASK_FUNCTIONS.map((task) => ({ name: task.id, entry: task.entry })),
];
