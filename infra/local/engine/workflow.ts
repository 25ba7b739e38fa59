// The Workflow port (and the ingest's starter) over the in-process engine: what the
// StepFunctionsWorkflow does over the SDK in AWS, with the same error semantics.

import type { InvestigationStarter, Workflow } from '../../../functions/core/ports.js';
import type { LocalStepFunctions } from './local-step-functions.js';

export function engineWorkflow(engine: LocalStepFunctions): Workflow & InvestigationStarter {
  return {
    async resume(taskToken, output) {
      await engine.sendTaskSuccess({ taskToken, output: JSON.stringify(output ?? {}) });
    },
    async startInvestigation(stateMachineArn, name, input) {
      try {
        await engine.startExecution({ stateMachineArn, name, input: JSON.stringify(input) });
        return { started: true };
      } catch (error) {
        if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
          return { started: false };
        }
        throw error;
      }
    },
  };
}
