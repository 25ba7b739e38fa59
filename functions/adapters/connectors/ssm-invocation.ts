// A Systems Manager command invocation (GetCommandInvocation) as where the remediation is:
// waiting or running on the node, done with the script's output, or failed with the reason
// (a script's refusal, a timeout, a node that is offline or gone).
import type { GetCommandInvocationCommandOutput } from '@aws-sdk/client-ssm';
import { TEXT_LIMITS } from '../../core/model.js';
import type { RemediationProgress } from '../../core/ports.js';

type Invocation = Pick<
  GetCommandInvocationCommandOutput,
  'Status' | 'StatusDetails' | 'StandardOutputContent' | 'StandardErrorContent' | 'ResponseCode'
>;

/** Not final yet: the agent has the command queued, is running it, or is cancelling it. */
const RUNNING = new Set(['Pending', 'InProgress', 'Delayed', 'Cancelling']);

/** StatusDetails (spaces removed) that say why a command never ran, or stopped. */
const WHY: Record<string, string> = {
  Undeliverable:
    'the node is offline or not reachable by Systems Manager (Undeliverable: stopped, no agent, or no route to SSM)',
  DeliveryTimedOut: 'the node stayed offline until the delivery timed out (Delivery Timed Out)',
  ExecutionTimedOut: 'the script ran longer than the document allows (Execution Timed Out)',
  Terminated: 'the node was stopped or terminated while the command ran (Terminated)',
  Cancelled: 'the command was cancelled on the node (Cancelled)',
  Canceled: 'the command was cancelled on the node (Canceled)',
};

/** The last characters of a text: a script's record is its output's last line. */
export function tailOf(text: string | undefined, max: number): string {
  const trimmed = (text ?? '').trim();
  return trimmed.length <= max ? trimmed : `…${trimmed.slice(trimmed.length - max + 1)}`;
}

/** What an invocation means for the action; `outcome` names a finished execute or undo. */
export function progressOfInvocation(
  invocation: Invocation,
  what: { commandId: string; node: string; outcome: string },
): RemediationProgress {
  const status = invocation.Status ?? 'Pending';
  if (RUNNING.has(status)) {
    return {
      state: 'running',
      ref: what.commandId,
      detail: `Command ${what.commandId} on ${what.node}: ${invocation.StatusDetails ?? status}`,
    };
  }
  if (status === 'Success') {
    const output = tailOf(invocation.StandardOutputContent, TEXT_LIMITS.detail);
    return {
      state: 'completed',
      outcome: what.outcome,
      detail: output || `Command ${what.commandId} on ${what.node} succeeded with no output`,
    };
  }
  const details = (invocation.StatusDetails ?? status).replace(/\s+/g, '');
  const why = WHY[details] ?? WHY[status];
  const stderr = tailOf(invocation.StandardErrorContent, 1000);
  const code =
    invocation.ResponseCode !== undefined && invocation.ResponseCode >= 0
      ? ` (exit ${invocation.ResponseCode})`
      : '';
  return {
    state: 'failed',
    reason:
      `Command ${what.commandId} on ${what.node} ${status}${code}: ` +
      (why ?? (stderr || invocation.StatusDetails || 'no reason given')) +
      (why && stderr ? `; ${stderr}` : ''),
  };
}
