// Errors the workflow's tasks throw by `name`: the state machine's Retry and Catch match these
// names, so renaming one is a change to statemachines/investigation.asl.json too.

export const WORKFLOW_ERRORS = {
  /** A connector could not reach its target for now: the Remediate task is retried with backoff. */
  connectorTransient: 'ConnectorTransientError',
  /** A connector refused or failed for good: the action becomes Failed with the reason. */
  connectorPermanent: 'ConnectorPermanentError',
  /** An operator rejected the action: sent by the API as the waiting task's failure. */
  actionRejected: 'ActionRejected',
  /** The action's pending time ran out before its wait was (re)registered. */
  actionExpired: 'ActionExpired',
  /** The execution's input is not a valid alert. */
  invalidAlert: 'InvalidAlert',
} as const;

/** The target system is unavailable or throttling: trying again later may succeed. */
export class ConnectorTransientError extends Error {
  override readonly name = WORKFLOW_ERRORS.connectorTransient;
}

/** The target system refused the change, or it cannot be carried out: retrying will not help. */
export class ConnectorPermanentError extends Error {
  override readonly name = WORKFLOW_ERRORS.connectorPermanent;
}

/** Thrown by the AwaitDecision task when the action had already expired: the wait ends at once. */
export class ActionExpiredError extends Error {
  override readonly name = WORKFLOW_ERRORS.actionExpired;
}

/** The workflow was started with something that is not an alert. */
export class InvalidAlertError extends Error {
  override readonly name = WORKFLOW_ERRORS.invalidAlert;
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}
