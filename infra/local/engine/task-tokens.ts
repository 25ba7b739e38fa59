// Task tokens for `.waitForTaskToken` tasks: each waiting attempt gets a fresh token and a
// promise that SendTaskSuccess / SendTaskFailure settle, or its TimeoutSeconds / HeartbeatSeconds
// fails with States.Timeout. Tokens carry their execution's ARN and an HMAC under the engine's key,
// so a token of a finished task is told apart from a forged one (InvalidToken, as in AWS).
import { randomBytes } from 'node:crypto';
import { StepFunctionsError, TaskFailure } from './errors.js';
import type { TokenKey } from './signed-tokens.js';

export interface WaitingTask {
  taskToken: string;
  executionArn: string;
  stateName: string;
  functionName: string;
  startedAt: Date;
  /** When the wait times out (undefined: it waits until settled). */
  timeoutAt?: Date;
}

export interface OpenWait {
  executionArn: string;
  stateName: string;
  functionName: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  now: Date;
}

const MAX_DELAY_MS = 2 ** 31 - 1;

/** A timer for any delay: setTimeout fires at once beyond about 24.8 days, so long ones are chained. */
function timer(ms: number, fire: () => void): { clear(): void } {
  let handle: NodeJS.Timeout;
  const arm = (left: number) => {
    handle = setTimeout(
      () => (left > MAX_DELAY_MS ? arm(left - MAX_DELAY_MS) : fire()),
      Math.min(left, MAX_DELAY_MS),
    );
  };
  arm(Math.max(0, ms));
  return { clear: () => clearTimeout(handle) };
}

interface Wait extends WaitingTask {
  resolve(output: unknown): void;
  reject(error: Error): void;
  timeout?: { clear(): void };
  heartbeat?: { clear(): void };
  heartbeatSeconds?: number;
}

/** AWS's bound on a task token's length. */
const MAX_TOKEN_LENGTH = 2048;

export class TaskTokens {
  private readonly live = new Map<string, Wait>();
  /** Marks the tokens of this engine's lifetime apart from those issued before a restart. */
  private readonly bootId = randomBytes(6).toString('base64url');

  constructor(private readonly key: TokenKey) {}

  /** The execution a token names, once its MAC shows this engine (or one before a restart) issued it. */
  executionArnOf(token: unknown): string {
    const invalid = () => new StepFunctionsError('InvalidToken', 'Invalid Token');
    if (typeof token !== 'string' || token.length < 3 || token.length > MAX_TOKEN_LENGTH) {
      throw invalid();
    }
    const [arnPart, nonce, mac, ...rest] = token.split('.');
    if (!arnPart || !nonce || !mac || rest.length > 0) throw invalid();
    if (!this.key.verifies(`${arnPart}.${nonce}`, mac)) throw invalid();
    const arn = Buffer.from(arnPart, 'base64url').toString('utf8');
    if (!arn.startsWith('arn:aws:states:')) throw invalid();
    return arn;
  }

  /** Whether this engine (not one before a restart) issued the token. */
  issuedHere(taskToken: string): boolean {
    return taskToken.split('.')[1]?.startsWith(this.bootId) ?? false;
  }

  /** Registers a wait before its function runs, so the function may settle it itself. */
  open(request: OpenWait): { taskToken: string; result: Promise<unknown> } {
    const signed = `${Buffer.from(request.executionArn).toString('base64url')}.${this.bootId}${randomBytes(24).toString('base64url')}`;
    const taskToken = `${signed}.${this.key.mac(signed)}`;
    let resolve!: (output: unknown) => void;
    let reject!: (error: Error) => void;
    const result = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const wait: Wait = {
      taskToken,
      executionArn: request.executionArn,
      stateName: request.stateName,
      functionName: request.functionName,
      startedAt: request.now,
      resolve,
      reject,
      heartbeatSeconds: request.heartbeatSeconds,
    };
    if (request.timeoutSeconds !== undefined) {
      wait.timeoutAt = new Date(request.now.getTime() + request.timeoutSeconds * 1000);
      wait.timeout = timer(request.timeoutSeconds * 1000, () =>
        this.settle(taskToken, (w) =>
          w.reject(new TaskFailure('States.Timeout', 'Task timed out')),
        ),
      );
    }
    this.live.set(taskToken, wait);
    this.armHeartbeat(wait);
    return { taskToken, result };
  }

  private armHeartbeat(wait: Wait): void {
    wait.heartbeat?.clear();
    if (wait.heartbeatSeconds === undefined) return;
    wait.heartbeat = timer(wait.heartbeatSeconds * 1000, () =>
      this.settle(wait.taskToken, (w) =>
        w.reject(new TaskFailure('States.Timeout', 'Task missed its heartbeat')),
      ),
    );
  }

  /** Settles a live wait once; answers whether the token was live. */
  settle(taskToken: string, how: (wait: Wait) => void): boolean {
    const wait = this.live.get(taskToken);
    if (!wait) return false;
    this.live.delete(taskToken);
    wait.timeout?.clear();
    wait.heartbeat?.clear();
    how(wait);
    return true;
  }

  heartbeat(taskToken: string): boolean {
    const wait = this.live.get(taskToken);
    if (!wait) return false;
    this.armHeartbeat(wait);
    return true;
  }

  /** Ends every wait of an execution (stopped, or finished by another branch). */
  closeExecution(executionArn: string, error: Error): void {
    for (const wait of [...this.live.values()]) {
      if (wait.executionArn === executionArn) this.settle(wait.taskToken, (w) => w.reject(error));
    }
  }

  list(executionArn?: string): WaitingTask[] {
    return [...this.live.values()]
      .filter((w) => executionArn === undefined || w.executionArn === executionArn)
      .map(({ taskToken, executionArn: arn, stateName, functionName, startedAt, timeoutAt }) => ({
        taskToken,
        executionArn: arn,
        stateName,
        functionName,
        startedAt,
        ...(timeoutAt && { timeoutAt }),
      }));
  }
}
