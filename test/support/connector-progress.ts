// What a connector's submit or status finished with, for the tests that expect it finished.
import type { ConnectorOutcome, RemediationProgress } from '../../functions/core/ports.js';

/** The outcome of a `completed` progress; any other state fails the test, naming it. */
export function completedOutcome(progress: RemediationProgress): ConnectorOutcome {
  if (progress.state !== 'completed') {
    throw new Error(`expected a completed remediation, got ${JSON.stringify(progress)}`);
  }
  const { state: _state, ...outcome } = progress;
  return outcome;
}
