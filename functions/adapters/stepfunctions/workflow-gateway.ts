// The Workflow port over Step Functions: starts investigations and resumes their waits.
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Config } from '../../config.js';
import type { Workflow } from '../../core/ports.js';
import { tracer } from '../../observability.js';

export function createStepFunctionsClient(
  config: Pick<Config, 'region' | 'stepFunctionsEndpoint'>,
): SFNClient {
  const local = config.stepFunctionsEndpoint !== undefined;
  return tracer.captureAWSv3Client(
    new SFNClient({
      region: config.region,
      ...(local && {
        endpoint: config.stepFunctionsEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    }),
  );
}

export class StepFunctionsWorkflow implements Workflow {
  constructor(private readonly sfn: SFNClient) {}

  async resume(taskToken: string, output: unknown): Promise<void> {
    await this.sfn.send(
      new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? {}) }),
    );
  }

  /** Starts the investigation's execution once: a repeated name is success, not an error. */
  async startInvestigation(
    stateMachineArn: string,
    name: string,
    input: unknown,
  ): Promise<{ started: boolean }> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
      );
      return { started: true };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists')
        return { started: false };
      throw error;
    }
  }
}
