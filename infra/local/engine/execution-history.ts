// GetExecutionHistory from what the engine recorded: its start and end from the execution's
// record, its state events under the type names AWS uses (TaskStateEntered, MapIterationStarted,
// TaskFailed ...), numbered from 1, each pointing at the one before.
import type {
  HistoryEvent as ApiHistoryEvent,
  GetExecutionHistoryInput,
  GetExecutionHistoryOutput,
  HistoryEventType,
} from '@aws-sdk/client-sfn';
import { pageSize } from './api-rules.js';
import { StepFunctionsError } from './errors.js';
import type { ExecutionRecord, HistoryEvent } from './local-step-functions.js';
import type { TokenKey } from './signed-tokens.js';

type Body = Omit<ApiHistoryEvent, 'id' | 'previousEventId'>;

/** Ends of the execution that come from its record, not the engine's log (which a stop cuts short). */
const END_EVENTS: Partial<Record<ExecutionRecord['status'], HistoryEventType>> = {
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  ABORTED: 'ExecutionAborted',
  TIMED_OUT: 'ExecutionTimedOut',
};

const FAILED_BY_STATE_TYPE: Record<string, HistoryEventType> = {
  Task: 'TaskFailed',
  Map: 'MapStateFailed',
  Parallel: 'ParallelStateFailed',
};

function stateEvent(event: HistoryEvent): Body | undefined {
  const timestamp = event.timestamp;
  const name = event.stateName ?? '';
  switch (event.type) {
    case 'StateEntered':
      return {
        timestamp,
        type: `${event.stateType}StateEntered` as HistoryEventType,
        stateEnteredEventDetails: { name, ...(event.data !== undefined && { input: event.data }) },
      };
    case 'StateExited':
      return {
        timestamp,
        type: `${event.stateType}StateExited` as HistoryEventType,
        stateExitedEventDetails: { name, ...(event.data !== undefined && { output: event.data }) },
      };
    case 'StateFailed': {
      const type = FAILED_BY_STATE_TYPE[event.stateType ?? ''];
      if (!type) return undefined;
      const details = { error: event.error, cause: event.cause };
      return type === 'TaskFailed'
        ? {
            timestamp,
            type,
            taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', ...details },
          }
        : { timestamp, type };
    }
    case 'MapIterationStarted':
      return {
        timestamp,
        type: event.type,
        mapIterationStartedEventDetails: { name, index: event.index },
      };
    case 'MapIterationSucceeded':
      return {
        timestamp,
        type: event.type,
        mapIterationSucceededEventDetails: { name, index: event.index },
      };
    case 'MapIterationFailed':
      return {
        timestamp,
        type: event.type,
        mapIterationFailedEventDetails: { name, index: event.index },
      };
    default:
      // Retries, catches and Parallel branches have no event of their own in AWS's history.
      return undefined;
  }
}

function endEvent(record: ExecutionRecord): Body | undefined {
  const type = END_EVENTS[record.status];
  if (!type || !record.stopDate) return undefined;
  const timestamp = new Date(record.stopDate);
  const failure = { error: record.error, cause: record.cause };
  switch (type) {
    case 'ExecutionSucceeded':
      return { timestamp, type, executionSucceededEventDetails: { output: record.output } };
    case 'ExecutionFailed':
      return { timestamp, type, executionFailedEventDetails: failure };
    case 'ExecutionAborted':
      return { timestamp, type, executionAbortedEventDetails: failure };
    default:
      return { timestamp, type, executionTimedOutEventDetails: failure };
  }
}

/** The whole history, oldest first, as AWS numbers it. */
export function apiHistory(
  record: ExecutionRecord,
  events: HistoryEvent[],
  roleArn: string,
): ApiHistoryEvent[] {
  const started: Body = {
    timestamp: new Date(record.startDate),
    type: 'ExecutionStarted',
    executionStartedEventDetails: { input: record.input, roleArn },
  };
  const end = endEvent(record);
  const bodies = [
    started,
    ...events.map(stateEvent).filter((e): e is Body => e !== undefined),
    ...(end ? [end] : []),
  ];
  return bodies.map((body, i) => ({ ...body, id: i + 1, previousEventId: i }));
}

interface HistoryCursor {
  executionArn: string;
  offset: number;
  reverse: boolean;
}

/** One page of the history, with a sealed nextToken bound to the execution and the order. */
export function historyPage(
  history: ApiHistoryEvent[],
  input: GetExecutionHistoryInput,
  key: TokenKey,
): GetExecutionHistoryOutput {
  const reverse = input.reverseOrder ?? false;
  const size = pageSize(input.maxResults);
  let offset = 0;
  if (input.nextToken !== undefined) {
    const cursor = key.open(input.nextToken) as Partial<HistoryCursor>;
    if (
      cursor?.executionArn !== input.executionArn ||
      cursor.reverse !== reverse ||
      !Number.isInteger(cursor.offset)
    ) {
      // A token of another execution or order is as invalid to AWS as a forged one.
      throw new StepFunctionsError('InvalidToken', `Invalid Token: '${input.nextToken}'`);
    }
    offset = cursor.offset as number;
  }
  const ordered = reverse ? [...history].reverse() : history;
  const events = ordered
    .slice(offset, offset + size)
    .map((event) => (input.includeExecutionData === false ? withoutData(event) : event));
  const next = offset + size;
  return {
    events,
    ...(next < ordered.length && {
      nextToken: key.seal({ executionArn: input.executionArn, offset: next, reverse }),
    }),
  };
}

/** includeExecutionData=false: AWS leaves out inputs and outputs. */
function withoutData(event: ApiHistoryEvent): ApiHistoryEvent {
  const copy = { ...event };
  if (copy.executionStartedEventDetails) {
    copy.executionStartedEventDetails = { roleArn: copy.executionStartedEventDetails.roleArn };
  }
  if (copy.executionSucceededEventDetails) copy.executionSucceededEventDetails = {};
  if (copy.stateEnteredEventDetails) {
    copy.stateEnteredEventDetails = { name: copy.stateEnteredEventDetails.name };
  }
  if (copy.stateExitedEventDetails) {
    copy.stateExitedEventDetails = { name: copy.stateExitedEventDetails.name };
  }
  return copy;
}
