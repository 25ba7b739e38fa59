// A small Step Functions endpoint (AWS JSON 1.0) over the local engine, so the unchanged
// @aws-sdk/client-sfn reaches it through STEPFUNCTIONS_ENDPOINT with AWS's own error names.
import type { HttpRequest, HttpResponse, RequestHandler } from '@smithy/types';
import { type LocalStepFunctions, StepFunctionsError } from '../engine/index.js';

type Operation = (input: never) => Promise<unknown>;

export const TARGET_PREFIX = 'AWSStepFunctions.';

/** AWS JSON carries timestamps as epoch seconds. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

export type StepFunctionsEndpoint = (
  target: string,
  body: string,
) => Promise<{ status: number; body: unknown }>;

export function createStepFunctionsEndpoint(engine: LocalStepFunctions): StepFunctionsEndpoint {
  const operations: Record<string, Operation> = {
    StartExecution: (input) => engine.startExecution(input),
    DescribeExecution: (input) => engine.describeExecution(input),
    StopExecution: (input) => engine.stopExecution(input),
    ListExecutions: (input) => engine.listExecutions(input),
    GetExecutionHistory: (input) => engine.getExecutionHistory(input),
    DescribeStateMachine: (input) => engine.describeStateMachine(input),
    SendTaskSuccess: async (input) => {
      await engine.sendTaskSuccess(input);
      return {};
    },
    SendTaskFailure: async (input) => {
      await engine.sendTaskFailure(input);
      return {};
    },
    SendTaskHeartbeat: async (input) => {
      await engine.sendTaskHeartbeat(input);
      return {};
    },
  };

  return async (target: string, body: string): Promise<{ status: number; body: unknown }> => {
    const name = target.slice(TARGET_PREFIX.length);
    const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (!operation) {
      return {
        status: 400,
        body: { __type: 'UnknownOperationException', message: `Unsupported operation ${name}` },
      };
    }
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      input = undefined;
    }
    if (!input || typeof input !== 'object' || Array.isArray(input)) {
      return {
        status: 400,
        body: { __type: 'SerializationException', message: 'The body is not a JSON object' },
      };
    }
    try {
      return { status: 200, body: toWire(await operation(input as never)) };
    } catch (error) {
      // The API's own errors are the caller's (400); anything else is the engine's fault, as in AWS.
      if (error instanceof StepFunctionsError) {
        return { status: 400, body: { __type: error.name, message: error.message } };
      }
      return {
        status: 500,
        body: { __type: 'InternalFailure', message: (error as Error).message },
      };
    }
  };
}

/**
 * The SDK's HTTP handler for the runtime's own functions: the request goes to the endpoint in this
 * process, with no socket and no signature (they are this process; another process still comes
 * through the signed HTTP endpoint). `endpoint` is read per request: the engine is built after the
 * functions' clients.
 */
export class InProcessStepFunctions implements RequestHandler<HttpRequest, HttpResponse> {
  constructor(private readonly endpoint: () => StepFunctionsEndpoint) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const body =
      typeof request.body === 'string'
        ? request.body
        : Buffer.from((request.body as Uint8Array | undefined) ?? []).toString('utf8');
    const out = await this.endpoint()(String(request.headers['x-amz-target'] ?? ''), body);
    return {
      response: {
        statusCode: out.status,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: Buffer.from(JSON.stringify(out.body)),
      },
    };
  }
}

/** The functions' Step Functions requests are not signed: nothing between them and the engine checks. */
export const UNSIGNED = { sign: async (request: HttpRequest) => request };
