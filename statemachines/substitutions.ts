// The investigation state machine's DefinitionSubstitutions: one typed map shared by the CDK app
// and the local engine, so both run statemachines/investigation.asl.json with the same values.
//
// The ASL file stays valid JSON: a number placeholder is written quoted ("${TaskRetryMaxAttempts}")
// and `definitionTemplate` unquotes it, so the substituted definition carries a real number.
// CloudFormation then substitutes `${Name}` as plain text, exactly like `renderDefinition`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TASK_FUNCTIONS, type TaskFunctionId } from '../functions/entries.js';

export type FunctionArnPlaceholder = (typeof TASK_FUNCTIONS)[number]['placeholder'];

/** Placeholders whose value is a number (written quoted in the file, unquoted once rendered). */
export const NUMBER_PLACEHOLDERS = [
  'TaskRetryIntervalSeconds',
  'TaskRetryMaxAttempts',
  'TaskRetryBackoffRate',
] as const;
export type NumberPlaceholder = (typeof NUMBER_PLACEHOLDERS)[number];

export type Placeholder = FunctionArnPlaceholder | NumberPlaceholder;

export const PLACEHOLDERS: readonly Placeholder[] = [
  ...TASK_FUNCTIONS.map((f) => f.placeholder),
  ...NUMBER_PLACEHOLDERS,
];

export interface RetrySettings {
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
}

export interface InvestigationWorkflowSettings {
  /** Every task's retries on Lambda and DynamoDB throttling or service errors. */
  taskRetry: RetrySettings;
}

/**
 * Six retries, 1 s doubling with full jitter: at most 63 s of waiting. A throttle that outlasted the
 * SDK's own retries is a spike of seconds, and a task that gives up fails its investigation (its
 * alert gets no actions), so the budget covers about a minute rather than the 7 s of three retries.
 */
export const DEFAULT_WORKFLOW_SETTINGS: InvestigationWorkflowSettings = {
  taskRetry: { intervalSeconds: 1, maxAttempts: 6, backoffRate: 2 },
};

function checked(name: string, value: number, min: number, integer = true): string {
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(
      `${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}; got ${value}`,
    );
  }
  return String(value);
}

/**
 * The DefinitionSubstitutions of the investigation state machine. `functionArns` are real ARNs
 * (CDK tokens in the app, `localFunctionArn` locally).
 */
export function investigationSubstitutions(
  functionArns: Record<TaskFunctionId, string>,
  settings: Partial<InvestigationWorkflowSettings> = {},
): Record<Placeholder, string> {
  const s = { ...DEFAULT_WORKFLOW_SETTINGS, ...settings };
  const arns = Object.fromEntries(
    TASK_FUNCTIONS.map((f) => {
      const arn = functionArns[f.id];
      if (!arn) throw new Error(`No function ARN for ${f.id}`);
      return [f.placeholder, arn];
    }),
  ) as Record<FunctionArnPlaceholder, string>;
  const numbers: Record<NumberPlaceholder, string> = {
    TaskRetryIntervalSeconds: checked('taskRetry.intervalSeconds', s.taskRetry.intervalSeconds, 1),
    TaskRetryMaxAttempts: checked('taskRetry.maxAttempts', s.taskRetry.maxAttempts, 0),
    TaskRetryBackoffRate: checked('taskRetry.backoffRate', s.taskRetry.backoffRate, 1, false),
  };
  return { ...arns, ...numbers };
}

/** The ASL file, as it is in the repository. */
export const INVESTIGATION_ASL_PATH = fileURLToPath(
  new URL('./investigation.asl.json', import.meta.url),
);

export function readInvestigationAsl(): string {
  return readFileSync(INVESTIGATION_ASL_PATH, 'utf8');
}

/**
 * The definition CloudFormation (and the local engine) receives: the ASL text with each number
 * placeholder unquoted, so `"MaxAttempts": "${TaskRetryMaxAttempts}"` becomes
 * `"MaxAttempts": ${TaskRetryMaxAttempts}`. In CDK: `DefinitionBody.fromString(...)` with
 * `definitionSubstitutions: investigationSubstitutions(...)`.
 */
export function definitionTemplate(aslText: string = readInvestigationAsl()): string {
  return NUMBER_PLACEHOLDERS.reduce(
    (text, name) => text.replaceAll(`"\${${name}}"`, `\${${name}}`),
    aslText,
  );
}

/**
 * What CloudFormation does with DefinitionSubstitutions: each `${Name}` replaced by its value as
 * text. A placeholder without a value is an error (CloudFormation would fail the deployment).
 */
export function renderDefinition(template: string, substitutions: Record<string, string>): string {
  return template.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`No substitution for \${${name}}`);
    return value;
  });
}

/** The rendered investigation definition: the ASL file with these substitutions. */
export function renderInvestigationDefinition(substitutions: Record<Placeholder, string>): string {
  return renderDefinition(definitionTemplate(), substitutions);
}

/** A Lambda ARN for the local engine (no account): `arn:aws:lambda:<region>:000000000000:function:action-center-<task>`. */
export function localFunctionArn(
  id: TaskFunctionId,
  options: { region?: string; accountId?: string } = {},
): string {
  const name = id.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '-'}${c.toLowerCase()}`);
  return `arn:aws:lambda:${options.region ?? 'us-east-1'}:${options.accountId ?? '000000000000'}:function:action-center-${name}`;
}

/** Every task function's local ARN, keyed by task id. */
export function localFunctionArns(
  options: { region?: string; accountId?: string } = {},
): Record<TaskFunctionId, string> {
  return Object.fromEntries(
    TASK_FUNCTIONS.map((f) => [f.id, localFunctionArn(f.id, options)]),
  ) as Record<TaskFunctionId, string>;
}
