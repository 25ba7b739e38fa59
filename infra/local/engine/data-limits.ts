// Step Functions' payload limit as the local engine enforces it: 256 KiB of UTF-8 JSON for an
// execution's input (StartExecution answers ValidationException), a SendTaskSuccess output, a
// task's input (after Parameters) and result, and every state's output. Past it a state fails
// with States.DataLimitExceeded, with the Cause text AWS writes.
import { payloadBytes, STATE_SIZE_LIMIT_BYTES } from '../../../functions/core/state-size.js';
import { DataLimitExceeded, StepFunctionsError } from './errors.js';

export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';

/** Whether a value's JSON text is over the limit. */
export const overLimit = (value: unknown): boolean => payloadBytes(value) > STATE_SIZE_LIMIT_BYTES;

/** The Cause AWS gives: `subject` is the state's name, a Lambda ARN, or `lambda` for lambda:invoke. */
export const resultTooLarge = (subject: string): string =>
  `The state/task '${subject}' returned a result with a size exceeding the maximum number of bytes service limit.`;

/** An API field over the limit: AWS refuses it by its model constraint, before anything else. */
export function checkApiPayload(field: 'input' | 'output', text: string | undefined): void {
  if (text === undefined) return;
  if (new TextEncoder().encode(text).byteLength <= STATE_SIZE_LIMIT_BYTES) return;
  throw new StepFunctionsError(
    'ValidationException',
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have size less than or equal to ${STATE_SIZE_LIMIT_BYTES} bytes in UTF-8 encoding`,
  );
}

export interface DataLimitMatch {
  /** A Catch of the state names States.DataLimitExceeded before any wildcard could match. */
  catchable: boolean;
  retryable: boolean;
}

interface Rule {
  ErrorEquals?: unknown;
}

/** The engine's wildcards for a Task state; AWS lets neither match States.DataLimitExceeded. */
const WILDCARDS = new Set(['States.ALL', 'States.TaskFailed']);

/** Whether the first rule the engine would match for the error is one that names it. */
function namedFirst(rules: unknown): boolean {
  if (!Array.isArray(rules)) return false;
  const first = (rules as Rule[]).find(
    (rule) =>
      Array.isArray(rule.ErrorEquals) &&
      rule.ErrorEquals.some((e) => e === DATA_LIMIT_EXCEEDED || WILDCARDS.has(e)),
  );
  return Array.isArray(first?.ErrorEquals) && first.ErrorEquals.includes(DATA_LIMIT_EXCEEDED);
}

/** How a Task state's Catch and Retry treat States.DataLimitExceeded. */
export function dataLimitMatch(state: { Catch?: unknown; Retry?: unknown }): DataLimitMatch {
  return { catchable: namedFirst(state.Catch), retryable: namedFirst(state.Retry) };
}

/** Fails a task whose input or result is over the limit, as its state's rules allow. */
export function checkTaskPayload(
  subject: string,
  value: unknown,
  match: DataLimitMatch,
  what: 'input' | 'result',
): void {
  if (!overLimit(value)) return;
  const cause =
    what === 'result'
      ? resultTooLarge(subject)
      : `The state/task '${subject}' has an input with a size exceeding the maximum number of bytes service limit.`;
  throw new DataLimitExceeded(cause, match);
}
