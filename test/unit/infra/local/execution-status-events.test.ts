// The local stand-in for Step Functions' execution status change events: the shape AWS delivers,
// only what the CDK rule matches, and a handler that fails never reaching the engine.
import type { EventBridgeEvent } from 'aws-lambda';
import type { ExecutionRecord } from '../../../../infra/local/engine/index.js';
import {
  ExecutionStatusEvents,
  executionStatusEvent,
} from '../../../../infra/local/execution-status-events.js';
import { SAMPLE, STATE_MACHINE_ARN } from '../../../fixtures/execution-status-events.js';

const record = (overrides: Partial<ExecutionRecord> = {}): ExecutionRecord => ({
  executionArn: SAMPLE.detail.executionArn,
  stateMachineArn: STATE_MACHINE_ARN,
  name: SAMPLE.detail.name,
  status: 'ABORTED',
  startDate: new Date(SAMPLE.detail.startDate).toISOString(),
  stopDate: new Date(SAMPLE.detail.stopDate).toISOString(),
  input: SAMPLE.detail.input,
  ...overrides,
});

const sortedKeys = (value: object) => Object.keys(value).sort();

describe('the event of an ended execution', () => {
  it('has the fields, types and values of the event Step Functions sends', () => {
    // Act
    const event = executionStatusEvent(record());

    // Assess
    expect(sortedKeys(event)).toEqual(sortedKeys(SAMPLE));
    expect(sortedKeys(event.detail)).toEqual(sortedKeys(SAMPLE.detail));
    const { id: _id, time: _time, ...rest } = event;
    const { id: _sampleId, time: _sampleTime, ...sample } = SAMPLE;
    expect(rest).toEqual(sample);
    expect(event.time).toBe('2026-11-01T12:05:17Z');
  });

  it('carries the error and cause of a failed execution', () => {
    // Act
    const { detail } = executionStatusEvent(
      record({ status: 'FAILED', error: 'InvestigationFailed', cause: 'A step failed' }),
    );

    // Assess
    expect(detail).toMatchObject({
      status: 'FAILED',
      error: 'InvestigationFailed',
      cause: 'A step failed',
    });
  });
});

describe('the events sent to executionStatus', () => {
  const sent: EventBridgeEvent<string, unknown>[] = [];
  let events: ExecutionStatusEvents;

  beforeEach(() => {
    sent.length = 0;
    events = new ExecutionStatusEvents({
      stateMachineArn: STATE_MACHINE_ARN,
      handler: async (event) => {
        sent.push(event);
      },
    });
  });

  it('are the failed, timed-out and stopped executions of our state machine, as the rule matches', async () => {
    // Act
    for (const status of ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const) {
      events.onExecutionChange(record({ status }));
    }
    events.onExecutionChange(
      record({ stateMachineArn: STATE_MACHINE_ARN.replace('investigation', 'other') }),
    );
    await events.close();

    // Assess
    expect(sent.map((e) => (e.detail as { status: string }).status)).toEqual([
      'FAILED',
      'TIMED_OUT',
      'ABORTED',
    ]);
  });

  it('stop once closed: the engine shutting down stops executions no person stopped', async () => {
    // Act
    await events.close();
    events.onExecutionChange(record());

    // Assess
    expect(sent).toEqual([]);
  });

  it('never throw what the handler throws', async () => {
    // Prepare
    const failing = new ExecutionStatusEvents({
      stateMachineArn: STATE_MACHINE_ARN,
      handler: () => {
        throw new Error('The table is unreachable');
      },
    });

    // Act
    const act = () => failing.onExecutionChange(record());

    // Assess
    expect(act).not.toThrow();
    await expect(failing.close()).resolves.toBeUndefined();
  });
});
