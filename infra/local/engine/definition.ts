// Prepares an ASL definition for aws-local-stepfunctions. The engine runs Task states through
// local handlers keyed by state name and knows no `.waitForTaskToken`, no `$$.Task.Token` and a
// 60 s default task timeout; so each Task is classified here, its token parameter replaced by a
// marker the runner fills per attempt, its TimeoutSecondsPath made a hidden parameter the engine
// resolves, and its engine timeout set so the runner's own applies.
import { type DataLimitMatch, dataLimitMatch } from './data-limits.js';
import { StatesRuntimeError, StepFunctionsError } from './errors.js';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const WAIT_FOR_TASK_TOKEN = '.waitForTaskToken';

/** Stands in for `$$.Task.Token` in a waiting task's parameters until the runner mints a token. */
export const TASK_TOKEN_MARKER = '\u0000local-task-token\u0000';

/**
 * The hidden parameter that carries a waiting task's TimeoutSecondsPath: the engine resolves
 * Parameters against the state's effective input (after InputPath), where AWS resolves the path.
 */
export const TIMEOUT_SECONDS_KEY = '\u0000local-timeout-seconds\u0000';

/** The longest delay setTimeout takes (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export type TaskKind =
  /** `Resource` is a Lambda function ARN: the function's result is the task's result. */
  | 'lambda'
  /** `arn:aws:states:::lambda:invoke`: `{FunctionName, Payload}` in, `{Payload, StatusCode}` out. */
  | 'invoke'
  /** `...lambda:invoke.waitForTaskToken`: the function is invoked, the task waits for its token. */
  | 'waitForTaskToken';

export interface PreparedTask {
  stateName: string;
  kind: TaskKind;
  resource: string;
  /** The wait's TimeoutSeconds (waiting tasks only; undefined: no timeout or a path's). */
  timeoutSeconds?: number;
  /** The wait's TimeoutSecondsPath: each attempt's timeout is read from its input (TIMEOUT_SECONDS_KEY). */
  timeoutSecondsPath?: string;
  heartbeatSeconds?: number;
  /** Whether the state's Catch and Retry name States.DataLimitExceeded (wildcards do not match it). */
  dataLimit: DataLimitMatch;
}

export interface PreparedDefinition {
  /** The definition the engine runs (a copy; the caller's is untouched). */
  engineDefinition: Record<string, unknown>;
  tasks: Map<string, PreparedTask>;
}

type State = Record<string, unknown>;

const invalid = (message: string) => new StepFunctionsError('InvalidDefinition', message);

function classify(stateName: string, resource: unknown): TaskKind {
  if (typeof resource !== 'string') throw invalid(`Task ${stateName} has no Resource`);
  if (resource === LAMBDA_INVOKE) return 'invoke';
  if (resource === LAMBDA_INVOKE + WAIT_FOR_TASK_TOKEN) return 'waitForTaskToken';
  if (
    /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/.test(
      resource,
    )
  ) {
    return 'lambda';
  }
  throw invalid(
    `Task ${stateName}: resource ${resource} is not supported locally (Lambda functions, lambda:invoke and lambda:invoke.waitForTaskToken are)`,
  );
}

/** Replaces every `"x.$": "$$.Task.Token"` by `"x": TASK_TOKEN_MARKER`; returns how many. */
function markTaskToken(template: unknown): number {
  if (Array.isArray(template)) return template.reduce((n, v) => n + markTaskToken(v), 0);
  if (template === null || typeof template !== 'object') return 0;
  const object = template as Record<string, unknown>;
  let count = 0;
  for (const [key, value] of Object.entries(object)) {
    if (key.endsWith('.$') && value === '$$.Task.Token') {
      delete object[key];
      object[key.slice(0, -2)] = TASK_TOKEN_MARKER;
      count += 1;
    } else {
      count += markTaskToken(value);
    }
  }
  return count;
}

function positive(stateName: string, field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(`Task ${stateName}: ${field} must be a positive integer`);
  }
  return value;
}

/** Moves a wait's TimeoutSecondsPath into its Parameters, for the engine to resolve per attempt. */
function timeoutSecondsPath(stateName: string, state: State): string | undefined {
  if (!('TimeoutSecondsPath' in state)) return undefined;
  const path = state.TimeoutSecondsPath;
  if (typeof path !== 'string' || !path.startsWith('$')) {
    throw invalid(`Task ${stateName}: TimeoutSecondsPath must be a reference path`);
  }
  delete state.TimeoutSecondsPath;
  (state.Parameters as State)[`${TIMEOUT_SECONDS_KEY}.$`] = path;
  return path;
}

/**
 * Takes the timeout the engine resolved out of a waiting task's parameters; a value that is not a
 * positive integer, or longer than a timer runs, fails the task with States.Runtime as in AWS.
 */
export function attemptTimeout(
  task: PreparedTask,
  parameters: unknown,
): { parameters: unknown; timeoutSeconds?: number } {
  if (task.timeoutSecondsPath === undefined) {
    return { parameters, timeoutSeconds: task.timeoutSeconds };
  }
  const { [TIMEOUT_SECONDS_KEY]: value, ...rest } = (parameters ?? {}) as Record<string, unknown>;
  const where = `An error occurred while executing the state '${task.stateName}'.`;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new StatesRuntimeError(
      `${where} The TimeoutSecondsPath '${task.timeoutSecondsPath}' must reference a positive integer, not ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  if (value > MAX_TIMER_SECONDS) {
    throw new StatesRuntimeError(
      `${where} The TimeoutSecondsPath '${task.timeoutSecondsPath}' references ${value} s, longer than the local engine can time (${MAX_TIMER_SECONDS} s, about 24.8 days)`,
    );
  }
  return { parameters: rest, timeoutSeconds: value };
}

function prepareTask(stateName: string, state: State): PreparedTask {
  const kind = classify(stateName, state.Resource);
  for (const field of ['HeartbeatSecondsPath', 'Credentials']) {
    if (field in state) throw invalid(`Task ${stateName}: ${field} is not supported locally`);
  }
  if ('TimeoutSeconds' in state && 'TimeoutSecondsPath' in state) {
    throw invalid(
      `Task ${stateName}: TimeoutSeconds and TimeoutSecondsPath are mutually exclusive`,
    );
  }
  if ('TimeoutSecondsPath' in state && kind !== 'waitForTaskToken') {
    throw invalid(
      `Task ${stateName}: TimeoutSecondsPath is supported locally only on tasks that wait for a task token`,
    );
  }
  if ('QueryLanguage' in state && state.QueryLanguage !== 'JSONPath') {
    throw invalid(`Task ${stateName}: only JSONPath is supported locally`);
  }
  const timeoutSeconds = positive(stateName, 'TimeoutSeconds', state.TimeoutSeconds);
  const heartbeatSeconds = positive(stateName, 'HeartbeatSeconds', state.HeartbeatSeconds);
  delete state.HeartbeatSeconds;
  const task: PreparedTask = {
    stateName,
    kind,
    resource: state.Resource as string,
    dataLimit: dataLimitMatch(state),
  };
  if (kind === 'waitForTaskToken') {
    if (markTaskToken(state.Parameters) === 0) {
      throw invalid(`Task ${stateName} waits for a task token but passes no $$.Task.Token`);
    }
    if (timeoutSeconds !== undefined && timeoutSeconds > MAX_TIMER_SECONDS) {
      throw invalid(
        `Task ${stateName}: TimeoutSeconds ${timeoutSeconds} is longer than the local engine can time (${MAX_TIMER_SECONDS} s, about 24.8 days)`,
      );
    }
    task.timeoutSeconds = timeoutSeconds;
    task.timeoutSecondsPath = timeoutSecondsPath(stateName, state);
    task.heartbeatSeconds = heartbeatSeconds;
    // The runner times the wait; the engine's own timer (60 s by default) must never fire first.
    state.TimeoutSeconds = MAX_TIMER_SECONDS;
  } else {
    state.TimeoutSeconds = Math.min(timeoutSeconds ?? MAX_TIMER_SECONDS, MAX_TIMER_SECONDS);
  }
  return task;
}

function prepareStates(
  container: State,
  tasks: Map<string, PreparedTask>,
  names: Set<string>,
  where: string,
): void {
  const states = container.States;
  if (states === null || typeof states !== 'object') throw invalid(`${where} has no States`);
  for (const [name, value] of Object.entries(states as Record<string, State>)) {
    // Local handlers are keyed by state name, and ASL wants names unique in the whole machine.
    if (names.has(name)) throw invalid(`State name ${name} is not unique`);
    names.add(name);
    switch (value.Type) {
      case 'Task':
        tasks.set(name, prepareTask(name, value));
        break;
      case 'Map': {
        const processor = (value.ItemProcessor ?? value.Iterator) as State | undefined;
        if (!processor) throw invalid(`Map ${name} has no ItemProcessor`);
        if ((processor.ProcessorConfig as State | undefined)?.Mode === 'DISTRIBUTED') {
          throw invalid(`Map ${name}: distributed mode is not supported locally`);
        }
        prepareStates(processor, tasks, names, `Map ${name}`);
        break;
      }
      case 'Parallel':
        for (const [i, branch] of ((value.Branches as State[]) ?? []).entries()) {
          prepareStates(branch, tasks, names, `Parallel ${name} branch ${i}`);
        }
        break;
      default:
        break;
    }
  }
}

/** Checks and rewrites a definition for the engine; throws InvalidDefinition with the reason. */
export function prepareDefinition(definition: unknown): PreparedDefinition {
  // A JSON copy, not structuredClone: the engine only treats plain objects of its own realm
  // (a Jest VM context is another realm) as payload templates.
  const copy = JSON.parse(JSON.stringify(definition)) as State;
  if (copy === null || typeof copy !== 'object' || typeof copy.StartAt !== 'string') {
    throw invalid('A definition needs StartAt and States');
  }
  if ('QueryLanguage' in copy && copy.QueryLanguage !== 'JSONPath') {
    throw invalid('Only JSONPath definitions are supported locally (no JSONata)');
  }
  const tasks = new Map<string, PreparedTask>();
  prepareStates(copy, tasks, new Set(), 'The definition');
  return { engineDefinition: copy, tasks };
}

/** The payload with each marker replaced by this attempt's token. */
export function withTaskToken<T>(payload: T, token: string): T {
  if (payload === TASK_TOKEN_MARKER) return token as T;
  if (Array.isArray(payload)) return payload.map((v) => withTaskToken(v, token)) as T;
  if (payload === null || typeof payload !== 'object') return payload;
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [k, withTaskToken(v, token)]),
  ) as T;
}
