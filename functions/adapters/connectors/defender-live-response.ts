// killProcess, stopService, disableDriver, removeRegistryKey and removeScheduledTask through
// Defender for Endpoint live response. Its API runs only PutFile, RunScript and GetFile commands
// (there is no `remediate` command), so each action runs the library script named by
// DEFENDER_LIVE_RESPONSE_SCRIPT with the action type and its target as arguments. Microsoft's
// limits (10 calls a minute, 25 sessions, one per device) are paced through the table: an action
// that must wait stays running, with a detail saying why, and takes its turn on a later check.
import { type MicrosoftApi, MicrosoftApiError } from '../../adapters/microsoft/index.js';
import type { Action } from '../../core/model.js';
import type { RemediationProgress } from '../../core/ports.js';
import {
  machineActionById,
  machineIdOf,
  progressOf,
  requestMachineAction,
  requestorComment,
} from './defender-machine-actions.js';

export type LiveResponseTurn = { granted: true } | { granted: false; detail: string };

/** The shared pacing of live response calls and sessions (functions/adapters/dynamodb). */
export interface LiveResponsePacing {
  /** A call and the device's session for this action, or why it must wait. */
  take(deviceId: string, actionId: string, now: number): Promise<LiveResponseTurn>;
  /** The device's session is free again (the action's live response ended). */
  release(deviceId: string, actionId: string, now: number): Promise<void>;
}

const PERMISSION = 'Machine.LiveResponse';

const OUTCOMES: Partial<Record<Action['type'], string>> = {
  killProcess: 'ProcessKilled',
  stopService: 'ServiceStopped',
  disableDriver: 'DriverDisabled',
  removeRegistryKey: 'RegistryKeyRemoved',
  removeScheduledTask: 'ScheduledTaskRemoved',
};

/**
 * The script's arguments: the action type and the target as base64 JSON, so no name or path
 * from an alert can break out of the argument string on the device.
 */
export function scriptArgs(action: Action): string {
  const target = Buffer.from(JSON.stringify(action.target), 'utf8').toString('base64');
  return `-ActionType ${action.type} -ActionId ${action.id} -TargetBase64 ${target}`;
}

export class LiveResponseRemediation {
  constructor(
    private readonly api: MicrosoftApi,
    private readonly pacing: LiveResponsePacing,
    private readonly script: string,
    private readonly now: () => number = Date.now,
  ) {}

  async submit(action: Action): Promise<RemediationProgress> {
    const machineId = machineIdOf(action);
    if (!machineId) {
      return {
        state: 'failed',
        reason: `The target of ${action.type} names no Defender for Endpoint device`,
      };
    }
    const turn = await this.pacing.take(machineId, action.id, this.now());
    if (!turn.granted) return { state: 'running', detail: turn.detail };
    try {
      const machineAction = await requestMachineAction(
        this.api,
        {
          machineId,
          type: 'LiveResponse',
          path: 'runliveresponse',
          permission: PERMISSION,
          maxRetryAfterMs: 0,
          body: {
            Commands: [
              {
                type: 'RunScript',
                params: [
                  { key: 'ScriptName', value: this.script },
                  { key: 'Args', value: scriptArgs(action) },
                ],
              },
            ],
          },
        },
        requestorComment(action, `${action.type} by live response script ${this.script}`),
      );
      return this.settled(
        action,
        machineId,
        progressOf(machineAction, OUTCOMES[action.type] ?? 'Remediated'),
      );
    } catch (error) {
      await this.pacing.release(machineId, action.id, this.now());
      // Throttled, or a session someone else opened on the device: wait for a later turn.
      if (
        error instanceof MicrosoftApiError &&
        (error.status === 429 || error.code === 'ActiveRequestAlreadyExists')
      ) {
        return {
          state: 'running',
          detail: `waiting for its turn: Defender for Endpoint answered ${error.message}`,
        };
      }
      throw error;
    }
  }

  /** `ref` absent: the action was waiting for its turn and has not been submitted yet. */
  async status(action: Action, ref: string | undefined): Promise<RemediationProgress> {
    if (ref === undefined) return this.submit(action);
    const progress = progressOf(
      await machineActionById(this.api, ref),
      OUTCOMES[action.type] ?? 'Remediated',
    );
    return this.settled(action, machineIdOf(action), progress);
  }

  /** An ended live response frees the device's session for the next action. */
  private async settled(
    action: Action,
    machineId: string,
    progress: RemediationProgress,
  ): Promise<RemediationProgress> {
    if (progress.state !== 'running') await this.pacing.release(machineId, action.id, this.now());
    return progress;
  }
}
