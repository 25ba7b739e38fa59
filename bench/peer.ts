// A peer's figures beside ours: the Step Functions state transitions that Automated Security
// Response on AWS (ASR) makes for one remediation, counted from its published state machine. Not
// measured here: read off the definition, so it changes only when this file does.

export const ASR = {
  name: 'Automated Security Response on AWS v3.1.5',
  source:
    'aws-solutions/automated-security-response-on-aws at 379596298f7e (v3.1.5): source/lib/common-orchestrator-construct.ts, rendered in source/test/__snapshots__/orchestrator.test.ts.snap',
  /** Transitions of one finding's orchestrator execution on the happy path: 14 + 3 per status check. */
  fixedTransitions: 14,
  transitionsPerCheck: 3,
  /** The Wait between two SSM status checks, in seconds. */
  checkEverySeconds: 10,
  /** Checks of a remediation whose SSM runbook takes about 45 s (one at once, then every 10 s). */
  typicalChecks: 5,
  /** Lambda invocations of Task states: approval, document state, execute, 2 notifications, k checks, + the SQS scheduler. */
  fixedLambdas: 6,
} as const;

export const asrTransitions = (checks: number = ASR.typicalChecks) =>
  ASR.fixedTransitions + ASR.transitionsPerCheck * checks;

/** Step Functions Standard, us-east-1. */
export const DOLLARS_PER_TRANSITION = 0.025 / 1000;
