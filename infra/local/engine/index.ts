// The local Step Functions engine: a library the embedded runtime (and its AWS-JSON endpoint)
// builds on. See local-step-functions.ts for what it emulates.

export { DATA_LIMIT_EXCEEDED } from './data-limits.js';
export {
  LAMBDA_INVOKE,
  MAX_TIMER_SECONDS,
  type PreparedDefinition,
  type PreparedTask,
  prepareDefinition,
  type TaskKind,
  WAIT_FOR_TASK_TOKEN,
} from './definition.js';
export {
  DataLimitExceeded,
  ExecutionClosedError,
  LambdaFunctionError,
  StepFunctionsError,
  type StepFunctionsErrorName,
  TaskFailure,
} from './errors.js';
export {
  INVESTIGATION_STATE_MACHINE,
  type InvestigationEngine,
  type InvestigationEngineOptions,
  startInvestigationEngine,
} from './investigation.js';
export {
  type ExecutionRecord,
  type HistoryEvent,
  type LambdaHandler,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
} from './local-step-functions.js';
export type { WaitingTask } from './task-tokens.js';
export { engineWorkflow } from './workflow.js';
