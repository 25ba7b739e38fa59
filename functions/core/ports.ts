// The small ports the handlers depend on; adapters implement them.
import type { Action } from './model.js';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Starts an investigation's execution; a name already used is `started: false`, not an error. */
export interface InvestigationStarter {
  startInvestigation(
    stateMachineArn: string,
    name: string,
    input: unknown,
  ): Promise<{ started: boolean }>;
}

/** Settles the workflow's wait on an action: implemented over Step Functions task tokens. */
export interface Workflow {
  approve(taskToken: string, output: unknown): Promise<void>;
  reject(taskToken: string, reason: string): Promise<void>;
}

export interface ConnectorOutcome {
  outcome: string;
  detail?: string;
}

/** Carries out remediation on a target; the action id is the idempotency key. */
export interface Connector {
  readonly name: string;
  execute(action: Action): Promise<ConnectorOutcome>;
  undo(action: Action): Promise<ConnectorOutcome>;
}

/** Which connector carries out a given action (by category and type). */
export interface ConnectorRegistry {
  connectorFor(action: Action): Connector;
}
