// The errors connectors throw, by `name`: Advance tries a transient one again later and fails the
// action with a permanent one's message.

export const WORKFLOW_ERRORS = {
  /** A connector could not reach its target for now: tried again later, with backoff. */
  connectorTransient: 'ConnectorTransientError',
  /** A connector refused or failed for good: the action becomes Failed with the reason. */
  connectorPermanent: 'ConnectorPermanentError',
} as const;

/** The target system is unavailable or throttling: trying again later may succeed. */
export class ConnectorTransientError extends Error {
  override readonly name = WORKFLOW_ERRORS.connectorTransient;
}

/** The target system refused the change, or it cannot be carried out: retrying will not help. */
export class ConnectorPermanentError extends Error {
  override readonly name = WORKFLOW_ERRORS.connectorPermanent;
}
