// The defender connector: remediation through Microsoft Defender. Devices, files and live
// response through the Defender for Endpoint API (machine actions, tracked until Microsoft says
// Succeeded), URLs through its indicators, e-mail through Microsoft Graph. A 404 (the device
// gone, the message purged) fails the action with that reason; 401/403, 429 and 5xx are the
// Microsoft client's (the missing permission named; throttling and outages tried again).
import {
  connectorErrorOfMicrosoft,
  type MicrosoftApi,
  MicrosoftApiError,
} from '../../adapters/microsoft/index.js';
import type { Action } from '../../core/model.js';
import type { Connector, ConnectorOutcome, RemediationProgress } from '../../core/ports.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';
import { EmailRemediation } from './defender-email.js';
import { IndicatorRemediation } from './defender-indicators.js';
import { type LiveResponsePacing, LiveResponseRemediation } from './defender-live-response.js';
import {
  machineActionById,
  machineIdOf,
  progressOf,
  requestMachineAction,
  requestorComment,
} from './defender-machine-actions.js';

export interface DefenderConnectorOptions {
  api: MicrosoftApi;
  pacing: LiveResponsePacing;
  /** The live response library script (DEFENDER_LIVE_RESPONSE_SCRIPT). */
  liveResponseScript?: string;
  timeoutSeconds: number;
  now?: () => number;
}

/** Machine actions other than live response: what to POST and what success is called. */
const MACHINE_ACTIONS = {
  isolateDevice: {
    type: 'Isolate',
    path: 'isolate',
    permission: 'Machine.Isolate',
    outcome: 'DeviceIsolated',
  },
  quarantineFile: {
    type: 'StopAndQuarantineFile',
    path: 'StopAndQuarantineFile',
    permission: 'Machine.StopAndQuarantine',
    outcome: 'FileQuarantined',
  },
} as const;

const LIVE_RESPONSE = new Set<string>([
  'killProcess',
  'stopService',
  'disableDriver',
  'removeRegistryKey',
  'removeScheduledTask',
]);
const EMAIL = new Set<string>(['softDeleteEmail', 'quarantineEmail', 'disableExternalForwarding']);

export class DefenderConnector implements Connector {
  readonly name = 'defender';
  readonly timeoutSeconds: number;
  private readonly api: MicrosoftApi;
  private readonly liveResponse?: LiveResponseRemediation;
  private readonly indicators: IndicatorRemediation;
  private readonly email: EmailRemediation;

  constructor(options: DefenderConnectorOptions) {
    this.api = options.api;
    this.timeoutSeconds = options.timeoutSeconds;
    this.indicators = new IndicatorRemediation(options.api);
    this.email = new EmailRemediation(options.api);
    if (options.liveResponseScript) {
      this.liveResponse = new LiveResponseRemediation(
        options.api,
        options.pacing,
        options.liveResponseScript,
        options.now,
      );
    }
  }

  submit(action: Action): Promise<RemediationProgress> {
    return settled(() => {
      const type = action.type;
      if (type === 'isolateDevice' || type === 'quarantineFile') {
        return this.machineAction(action, type);
      }
      if (LIVE_RESPONSE.has(action.type)) return this.liveResponseFor(action).submit(action);
      if (action.type === 'blockUrl') return this.indicators.submit(action);
      if (EMAIL.has(action.type)) return this.email.submit(action);
      throw refused(action);
    });
  }

  status(action: Action, ref?: string): Promise<RemediationProgress> {
    return settled(async () => {
      if (LIVE_RESPONSE.has(action.type)) return this.liveResponseFor(action).status(action, ref);
      if ((action.type === 'isolateDevice' || action.type === 'quarantineFile') && ref) {
        return progressOf(
          await machineActionById(this.api, ref),
          MACHINE_ACTIONS[action.type].outcome,
        );
      }
      // Nothing to ask about: submitting again finds what the first submit did.
      return this.submit(action);
    });
  }

  async undo(action: Action): Promise<ConnectorOutcome> {
    try {
      if (action.type === 'isolateDevice') return await this.release(action);
      if (action.type === 'blockUrl') return await this.indicators.undo(action);
      if (
        action.type === 'softDeleteEmail' ||
        action.type === 'quarantineEmail' ||
        action.type === 'disableExternalForwarding'
      ) {
        return await this.email.undo(action);
      }
    } catch (error) {
      throw connectorErrorOfMicrosoft(error);
    }
    throw new ConnectorPermanentError(
      `The defender connector cannot undo ${action.type}: Defender's API has no reverse of it; undo it on the device from the Defender portal`,
    );
  }

  private liveResponseFor(action: Action): LiveResponseRemediation {
    if (!this.liveResponse) {
      throw new ConnectorPermanentError(
        `The defender connector runs ${action.type} through a live response script: set DEFENDER_LIVE_RESPONSE_SCRIPT`,
      );
    }
    return this.liveResponse;
  }

  private async machineAction(
    action: Action,
    type: keyof typeof MACHINE_ACTIONS,
  ): Promise<RemediationProgress> {
    const spec = MACHINE_ACTIONS[type];
    const machineId = machineIdOf(action);
    if (!machineId) {
      return failed(`The target of ${action.type} names no Defender for Endpoint device`);
    }
    let body: object = { IsolationType: 'Full' };
    if (action.type === 'quarantineFile') {
      if (!action.target.sha1) {
        return failed(
          'Defender for Endpoint stops and quarantines a file by its SHA-1, which the evidence did not carry',
        );
      }
      body = { Sha1: action.target.sha1 };
    }
    const machineAction = await requestMachineAction(
      this.api,
      { machineId, type: spec.type, path: spec.path, permission: spec.permission, body },
      requestorComment(action, action.type),
    );
    return progressOf(machineAction, spec.outcome);
  }

  private async release(action: Action): Promise<ConnectorOutcome> {
    const machineId = machineIdOf(action);
    const released = await requestMachineAction(
      this.api,
      { machineId, type: 'Unisolate', path: 'unisolate', permission: 'Machine.Isolate', body: {} },
      requestorComment(action, 'undo isolateDevice'),
    );
    return {
      outcome: 'DeviceReleaseRequested',
      detail: `Defender for Endpoint machine action ${released.id} (Unisolate) is ${released.status}`,
    };
  }
}

const failed = (reason: string): RemediationProgress => ({ state: 'failed', reason });

function refused(action: Action): ConnectorPermanentError {
  return new ConnectorPermanentError(`The defender connector does not handle ${action.type}`);
}

/** A target Microsoft no longer has fails the action with that reason; other errors by kind. */
async function settled(run: () => Promise<RemediationProgress>): Promise<RemediationProgress> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof MicrosoftApiError && error.kind === 'notFound') {
      return { state: 'failed', reason: error.message, outcome: 'NotFound' };
    }
    throw connectorErrorOfMicrosoft(error);
  }
}
