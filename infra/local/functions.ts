// The Lambda functions in this process: each entry file of functions/entries.ts imported and
// wired with an explicit configuration, as Lambda would wire it from its environment.
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config } from '../../functions/config.js';
import {
  type FunctionEntry,
  TASK_FUNCTIONS,
  type TaskFunctionId,
} from '../../functions/entries.js';
import type { Overrides } from '../../functions/wiring.js';
import type { LambdaHandler } from './engine/index.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** A function's handler, wired as its entry file wires it. */
export async function wireEntry<T>(
  entry: FunctionEntry,
  config: Config,
  overrides: Overrides,
): Promise<T> {
  const module = (await import(pathToFileURL(join(ROOT, entry.entry)).href)) as {
    wire: (config: Config, overrides: Overrides) => T;
  };
  return module.wire(config, overrides);
}

/** Every task handler of the investigation state machine, by task id. */
export async function wireTaskHandlers(
  config: Config,
  overrides: Overrides,
): Promise<Record<TaskFunctionId, LambdaHandler>> {
  // One at a time: the entries share modules, and jest's ESM loader links them in order only.
  const wired: [TaskFunctionId, LambdaHandler][] = [];
  for (const task of TASK_FUNCTIONS) {
    wired.push([task.id, await wireEntry<LambdaHandler>(task, config, overrides)]);
  }
  return Object.fromEntries(wired) as Record<TaskFunctionId, LambdaHandler>;
}
