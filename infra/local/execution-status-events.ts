// Step Functions' "Execution Status Change" events, locally: an execution of the investigation
// state machine that ends FAILED, TIMED_OUT or ABORTED is sent, in the shape EventBridge delivers
// in AWS, to the executionStatus function, as the CDK rule does. A delivery that fails is logged;
// it never reaches the engine or the runtime.
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import {
  EXECUTION_STATUS_DETAIL_TYPE,
  EXECUTION_STATUS_SOURCE,
  isEnding,
} from '../../functions/core/execution-end.js';
import { logger } from '../../functions/observability.js';
import type { ExecutionRecord } from './engine/index.js';

export type ExecutionStatusHandler = (event: EventBridgeEvent<string, unknown>) => Promise<unknown>;

const epochMillis = (iso: string | undefined) => (iso === undefined ? null : Date.parse(iso));

/** The event Step Functions sends about an execution's status, as EventBridge delivers it. */
export function executionStatusEvent(
  record: ExecutionRecord,
): EventBridgeEvent<string, Record<string, unknown>> {
  // arn:aws:states:<region>:<account>:execution:<state machine>:<name>
  const [, , , region = '', account = ''] = record.executionArn.split(':');
  const time = new Date(record.stopDate ?? record.startDate).toISOString();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': EXECUTION_STATUS_DETAIL_TYPE,
    source: EXECUTION_STATUS_SOURCE,
    account,
    // EventBridge's `time` has whole seconds.
    time: time.replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [record.executionArn],
    detail: {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: epochMillis(record.startDate),
      stopDate: epochMillis(record.stopDate),
      input: record.input,
      inputDetails: { included: true },
      output: record.output ?? null,
      outputDetails: record.output === undefined ? null : { included: true },
      error: record.error ?? null,
      cause: record.cause ?? null,
    },
  };
}

export class ExecutionStatusEvents {
  private closed = false;
  private readonly deliveries = new Set<Promise<void>>();

  constructor(
    private readonly options: { stateMachineArn: string; handler: ExecutionStatusHandler },
  ) {}

  /** The engine's `onExecutionChange`: sends what the CDK rule matches, and nothing else. */
  readonly onExecutionChange = (record: ExecutionRecord): void => {
    if (this.closed) return;
    if (record.stateMachineArn !== this.options.stateMachineArn || !isEnding(record.status)) return;
    const event = executionStatusEvent(record);
    const delivery = Promise.resolve()
      .then(() => this.options.handler(event))
      .then(
        () => undefined,
        (error: unknown) =>
          logger.error('Execution status change not handled', {
            executionArn: record.executionArn,
            status: record.status,
            errorName: (error as Error)?.name,
            error: (error as Error)?.message,
          }),
      )
      .finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
  };

  /**
   * Sends nothing more and waits for the deliveries under way. Called before the engine shuts
   * down: it stops the executions it runs, and no person stopped them.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.deliveries]);
  }
}
