// Defender for Endpoint machine actions (isolate, release, stop and quarantine, live response):
// each is asked for by a POST that answers a machine action, then tracked by GET
// /api/machineactions/{id} until Microsoft says Succeeded (done) or Failed, TimeOut, Cancelled.
// The action id is written in the requestor comment, so a submit that is tried again finds the
// machine action it already created instead of asking for a second one.
import type { MicrosoftApi } from '../../adapters/microsoft/index.js';
import type { Action } from '../../core/model.js';
import type { RemediationProgress } from '../../core/ports.js';

/** Microsoft's machine action: the fields we read (get-machineaction-object). */
export interface MachineAction {
  id: string;
  type: string;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled' | string;
  machineId?: string | null;
  computerDnsName?: string | null;
  requestorComment?: string | null;
  cancellationComment?: string | null;
  commands?: { commandStatus?: string; errors?: string[] }[] | null;
}

/** Reading machine actions: GET /api/machineactions and /api/machineactions/{id}. */
export const READ_PERMISSION = 'Machine.Read.All';

/** The requestor comment of an action's machine action: its id is what a retry looks for. */
export function requestorComment(action: Action, what: string): string {
  return `Action Center ${action.id}: ${what} (alert ${action.alertId})`.slice(0, 1000);
}

/** An MDE machine id names a device; anything else (an Entra device id, a name) is refused. */
export function machineIdOf(action: Action): string {
  const id = action.target.kind === 'device' ? action.target.id : action.target.deviceId;
  return id ?? '';
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The machine action this action already created on the device, if a submit got that far. */
export async function existingMachineAction(
  api: MicrosoftApi,
  machineId: string,
  type: string,
  comment: string,
): Promise<MachineAction | undefined> {
  const filter = `machineId eq ${quote(machineId)} and type eq ${quote(type)}`;
  const answer = await api.call<{ value?: MachineAction[] }>({
    service: 'defenderEndpoint',
    method: 'GET',
    url: `/api/machineactions?$filter=${encodeURIComponent(filter)}`,
    permission: READ_PERMISSION,
  });
  return (answer.body?.value ?? []).find((a) => a.requestorComment === comment);
}

/** Creates a machine action, unless this action's comment shows it was created already. */
export async function requestMachineAction(
  api: MicrosoftApi,
  request: {
    machineId: string;
    type: string;
    path: string;
    permission: string;
    body: object;
    /** 0: a 429 is answered at once rather than waited out (live response paces itself). */
    maxRetryAfterMs?: number;
  },
  comment: string,
): Promise<MachineAction> {
  const found = await existingMachineAction(api, request.machineId, request.type, comment);
  if (found) return found;
  const answer = await api.call<MachineAction>({
    service: 'defenderEndpoint',
    method: 'POST',
    url: `/api/machines/${encodeURIComponent(request.machineId)}/${request.path}`,
    body: { Comment: comment, ...request.body },
    permission: request.permission,
    maxRetryAfterMs: request.maxRetryAfterMs,
  });
  return answer.body;
}

export async function machineActionById(api: MicrosoftApi, id: string): Promise<MachineAction> {
  const answer = await api.call<MachineAction>({
    service: 'defenderEndpoint',
    method: 'GET',
    url: `/api/machineactions/${encodeURIComponent(id)}`,
    permission: READ_PERMISSION,
  });
  return answer.body;
}

/** Why a machine action ended without succeeding, in Microsoft's words where it gave any. */
function failureOf(action: MachineAction): string {
  const errors = (action.commands ?? []).flatMap((c) => c.errors ?? []).filter(Boolean);
  const parts = [
    `Defender for Endpoint machine action ${action.id} (${action.type}) on ${action.computerDnsName ?? action.machineId ?? 'the device'} ended ${action.status}`,
    ...(action.cancellationComment ? [`cancelled: ${action.cancellationComment}`] : []),
    ...(errors.length > 0 ? [`errors: ${errors.join('; ')}`] : []),
  ];
  return parts.join('; ');
}

/** Where the machine action is, as the workflow's progress; only Succeeded completes. */
export function progressOf(action: MachineAction, outcome: string): RemediationProgress {
  switch (action.status) {
    case 'Succeeded':
      return {
        state: 'completed',
        outcome,
        detail: `Defender for Endpoint machine action ${action.id} (${action.type}) succeeded on ${action.computerDnsName ?? action.machineId ?? 'the device'}`,
      };
    case 'Failed':
    case 'TimeOut':
    case 'Cancelled':
      return { state: 'failed', reason: failureOf(action), outcome: action.status };
    default:
      return {
        state: 'running',
        ref: action.id,
        detail: `Defender for Endpoint machine action ${action.id} is ${action.status}`,
      };
  }
}
