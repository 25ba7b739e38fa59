// The investigation ASL: valid, JSONPath only, and consistent with its substitutions, its task
// handlers and the error names the handlers throw.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { TASK_FUNCTIONS } from '../../../functions/entries.js';
import { prepareDefinition } from '../../../infra/local/engine/index.js';
import {
  definitionTemplate,
  INVESTIGATION_ASL_PATH,
  investigationSubstitutions,
  localFunctionArns,
  NUMBER_PLACEHOLDERS,
  PLACEHOLDERS,
  readInvestigationAsl,
  renderDefinition,
  renderInvestigationDefinition,
} from '../../../statemachines/substitutions.js';

const ROOT = join(INVESTIGATION_ASL_PATH, '..', '..');
const STATEMACHINES = join(ROOT, 'statemachines');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSONata and variables (`Assign`) are not run by the local engine: the places they appear. */
function jsonataFeatures(node: Json, path = '$'): string[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => jsonataFeatures(v, `${path}[${i}]`));
  if (typeof node === 'string')
    return /\{%.*%\}/s.test(node) ? [`${path}: JSONata expression`] : [];
  if (node === null || typeof node !== 'object') return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'QueryLanguage' && value !== 'JSONPath') found.push(`${path}.QueryLanguage`);
    if (key === 'Assign') found.push(`${path}.Assign`);
    if (key === 'Arguments' || key === 'Output') found.push(`${path}.${key} (JSONata field)`);
    found.push(...jsonataFeatures(value, `${path}.${key}`));
  }
  return found;
}

function collect(node: Json, pick: (key: string, value: Json) => string | undefined): string[] {
  if (Array.isArray(node)) return node.flatMap((v) => collect(v, pick));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => {
    const hit = pick(k, v);
    return [...(hit === undefined ? [] : [hit]), ...collect(v, pick)];
  });
}

const substitutions = investigationSubstitutions(localFunctionArns());
const rendered = JSON.parse(renderInvestigationDefinition(substitutions)) as Json;

describe('investigation.asl.json', () => {
  it('is valid ASL once substituted (asl-validator, with paths and ARNs checked)', () => {
    const { isValid, errorsText } = aslValidator(rendered, {
      checkPaths: true,
      checkArn: true,
    });

    expect(errorsText('\n')).toBe('');
    expect(isValid).toBe(true);
  });

  it('is accepted by the local engine, every Task classified', () => {
    const { tasks } = prepareDefinition(rendered);

    expect([...tasks.values()].map((t) => [t.stateName, t.kind])).toEqual([
      ['Investigate', 'lambda'],
      ['AwaitDecisions', 'waitForTaskToken'],
      ['Advance', 'lambda'],
    ]);
  });

  it('holds every placeholder of the substitutions map, and no other', () => {
    const raw = readInvestigationAsl();
    const used = new Set([...raw.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));

    expect([...used].sort()).toEqual([...PLACEHOLDERS].sort());
  });

  it('gets real numbers where a number placeholder stands', () => {
    const template = definitionTemplate();
    for (const name of NUMBER_PLACEHOLDERS) {
      expect(readInvestigationAsl()).toContain(`"\${${name}}"`);
      expect(template).not.toContain(`"\${${name}}"`);
    }
    const advance = (rendered as { States: Record<string, Record<string, Json>> }).States
      .Advance as { Retry: { MaxAttempts: Json }[] };
    expect(advance.Retry[0]?.MaxAttempts).toBe(6);
  });

  it('invokes only the task functions, each of which has its handler file', () => {
    const invoked = collect(rendered, (key, value) =>
      (key === 'Resource' || key === 'FunctionName') &&
      typeof value === 'string' &&
      value.includes(':function:')
        ? value
        : undefined,
    );
    const arns = localFunctionArns();

    expect(new Set(invoked)).toEqual(new Set(Object.values(arns)));
    for (const task of TASK_FUNCTIONS) {
      expect(existsSync(join(ROOT, task.entry))).toBe(true);
      expect(readFileSync(join(ROOT, task.entry), 'utf8')).toMatch(/export const handler\b/);
    }
  });

  it("matches only error names that exist: States.*, service errors, or the tasks' own", () => {
    const names = collect(rendered, (key, value) =>
      key === 'ErrorEquals' && Array.isArray(value) ? value.join(',') : undefined,
    ).flatMap((n) => n.split(','));
    // The one error a task throws by name for the state machine (await-decisions.ts).
    const ours = new Set<string>(['ResumeFailed']);

    const unknown = names.filter(
      (n) =>
        !n.startsWith('States.') &&
        !n.startsWith('Lambda.') &&
        !ours.has(n) &&
        !/^(ThrottlingException|ProvisionedThroughputExceededException|RequestLimitExceeded|InternalServerError)$/.test(
          n,
        ),
    );
    expect(unknown).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['ResumeFailed', 'States.Timeout']));
  });
});

describe('every state machine under statemachines/', () => {
  const files = readdirSync(STATEMACHINES).filter((f) => f.endsWith('.asl.json'));

  it('exists', () => {
    expect(files).toContain('investigation.asl.json');
  });

  it.each(files)('%s uses JSONPath only: no JSONata, no Assign', (file) => {
    const definition = JSON.parse(readFileSync(join(STATEMACHINES, file), 'utf8')) as Json;

    expect(jsonataFeatures(definition)).toEqual([]);
  });

  it('the check finds JSONata and Assign where they are', () => {
    const jsonata = {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: { A: { Type: 'Pass', Assign: { x: 1 }, Output: '{% $states.input %}', End: true } },
    };

    expect(jsonataFeatures(jsonata)).toEqual([
      '$.QueryLanguage',
      '$.States.A.Assign',
      '$.States.A.Output (JSONata field)',
      '$.States.A.Output: JSONata expression',
    ]);
  });
});

describe('substitutions', () => {
  it('fails on a placeholder without a value, as CloudFormation would', () => {
    const placeholder = ['$', '{Missing}'].join('');

    expect(() => renderDefinition(`{"Resource": "${placeholder}"}`, {})).toThrow(placeholder);
  });

  it('refuses settings the state machine cannot take', () => {
    expect(() =>
      investigationSubstitutions(localFunctionArns(), {
        taskRetry: { intervalSeconds: 0, maxAttempts: 2, backoffRate: 2 },
      }),
    ).toThrow(/intervalSeconds/);
    expect(() =>
      investigationSubstitutions(localFunctionArns(), {
        taskRetry: { intervalSeconds: 1, maxAttempts: 2, backoffRate: 0.5 },
      }),
    ).toThrow(/backoffRate/);
  });

  it('carries the retry settings into the tasks and the function ARNs into their states', () => {
    const subs = investigationSubstitutions(localFunctionArns(), {
      taskRetry: { intervalSeconds: 2, maxAttempts: 4, backoffRate: 1.5 },
    });

    expect(subs.TaskRetryMaxAttempts).toBe('4');
    expect(subs.AwaitDecisionsFunctionArn).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:action-center-await-decisions',
    );
  });
});
