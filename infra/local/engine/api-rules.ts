// The Step Functions API's input rules as AWS applies them before anything else: names, the
// lengths of error and cause, page sizes and status filters, with AWS's error names and wording.
import type { ExecutionStatus } from '@aws-sdk/client-sfn';
import { StepFunctionsError } from './errors.js';

/** AWS: 1–80 characters, none of whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : / or controls. */
const FORBIDDEN_IN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;
const isControl = (c: string) => {
  const code = c.codePointAt(0) ?? 0;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
};
const MAX_NAME_LENGTH = 80;

export const MAX_ERROR_LENGTH = 256;
export const MAX_CAUSE_LENGTH = 32_768;
export const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

const STATUSES: ReadonlySet<string> = new Set<ExecutionStatus>([
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
]);

const validation = (message: string) =>
  new StepFunctionsError('ValidationException', `1 validation error detected: ${message}`);

/** An execution's (or state machine's) name as AWS accepts it; anything else is InvalidName. */
export function checkName(name: unknown): string {
  const length = typeof name === 'string' ? [...name].length : 0;
  if (
    typeof name !== 'string' ||
    length < 1 ||
    length > MAX_NAME_LENGTH ||
    FORBIDDEN_IN_NAME.test(name) ||
    [...name].some(isControl)
  ) {
    throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
  }
  return name;
}

/** A string field over its model length (SendTaskFailure and StopExecution's error and cause). */
export function checkLength(field: 'error' | 'cause', value: string | undefined): void {
  const max = field === 'error' ? MAX_ERROR_LENGTH : MAX_CAUSE_LENGTH;
  if (value === undefined || value.length <= max) return;
  throw validation(
    `Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
  );
}

/** maxResults: 0 (or none) is AWS's default page of 100; past 1000 is refused. */
export function pageSize(maxResults: number | undefined): number {
  if (maxResults === undefined || maxResults === 0) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_PAGE_SIZE) {
    throw validation(
      `Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE_SIZE}`,
    );
  }
  return maxResults;
}

export function checkStatusFilter(status: string | undefined): ExecutionStatus | undefined {
  if (status === undefined || STATUSES.has(status)) return status as ExecutionStatus | undefined;
  throw validation(
    `Value '${status}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${[...STATUSES].join(', ')}]`,
  );
}
