// What a target reported, later, about a remediation it accepted as running (the webhook
// receiver's signed callback): kept per action, the first report wins, so a connector's `status`
// reads it and a repeated callback changes nothing.

/** A final result: `completed` with its outcome, or `failed` with the target's reason. */
export type RemediationReport =
  | { state: 'completed'; outcome: string; detail?: string; receivedAt: string }
  | { state: 'failed'; reason: string; outcome?: string; detail?: string; receivedAt: string };

export interface RemediationReportStore {
  /** Records the report unless one is there; answers the one kept (this one, or the first). */
  recordOnce(
    actionId: string,
    report: RemediationReport,
  ): Promise<{ recorded: boolean; report: RemediationReport }>;
  get(actionId: string): Promise<RemediationReport | undefined>;
}

/** Two reports say the same thing (the time received aside): a repeated callback. */
export function sameReport(a: RemediationReport, b: RemediationReport): boolean {
  const said = (r: RemediationReport) =>
    JSON.stringify([
      r.state,
      r.outcome ?? null,
      r.detail ?? null,
      r.state === 'failed' ? r.reason : null,
    ]);
  return said(a) === said(b);
}
