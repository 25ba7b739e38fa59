// The investigation state machine on the local engine: the ASL file with the same substitutions
// as CDK, each task's local Lambda ARN mapped to its in-process handler.

import type { TaskFunctionId } from '../../../functions/entries.js';
import {
  type InvestigationWorkflowSettings,
  investigationSubstitutions,
  localFunctionArns,
  type Placeholder,
  renderInvestigationDefinition,
} from '../../../statemachines/substitutions.js';
import {
  type LambdaHandler,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
} from './local-step-functions.js';

export const INVESTIGATION_STATE_MACHINE = 'ActionCenterInvestigation';

export interface InvestigationEngineOptions extends Omit<LocalStepFunctionsOptions, 'functions'> {
  /** The task handlers by task id (functions/workflow/index.ts `createWorkflowHandlers`). */
  handlers: Record<TaskFunctionId, LambdaHandler>;
  settings?: Partial<InvestigationWorkflowSettings>;
  stateMachineName?: string;
}

export interface InvestigationEngine {
  engine: LocalStepFunctions;
  stateMachineArn: string;
  substitutions: Record<Placeholder, string>;
}

export async function startInvestigationEngine(
  options: InvestigationEngineOptions,
): Promise<InvestigationEngine> {
  const { handlers, settings, stateMachineName, ...engineOptions } = options;
  const region = engineOptions.region ?? 'us-east-1';
  const accountId = engineOptions.accountId ?? '000000000000';
  const arns = localFunctionArns({ region, accountId });
  const functions = Object.fromEntries(
    (Object.keys(arns) as TaskFunctionId[]).map((id) => [arns[id], handlers[id]]),
  );
  const engine = new LocalStepFunctions({ ...engineOptions, region, accountId, functions });
  const substitutions = investigationSubstitutions(arns, settings);
  const { stateMachineArn } = await engine.createStateMachine({
    name: stateMachineName ?? INVESTIGATION_STATE_MACHINE,
    definition: renderInvestigationDefinition(substitutions),
  });
  return { engine, stateMachineArn: stateMachineArn as string, substitutions };
}
