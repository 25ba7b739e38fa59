// The ssm connector: carries out endpoint actions on EC2 instances (i-…) and hybrid nodes (mi-…)
// by sending one of OUR SSM Command documents (infra/aws/constructs/ssm-documents.ts) with
// parameters checked by functions/core/ssm-commands.ts. Long-running: submit answers running with
// the command id; status reads the invocation. The action id, as the command's Comment, makes a
// repeated submit find its command instead of sending another.
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  type Command,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { ConnectorName } from '../../core/connector-settings.js';
import type { Action, Target } from '../../core/model.js';
import type { Connector, ConnectorOutcome, RemediationProgress } from '../../core/ports.js';
import {
  managedNodeOf,
  SSM_DOCUMENTS,
  SSM_SCRIPT_TIMEOUT_SECONDS,
  type SsmActionType,
  type SsmParameters,
  type SsmPlatform,
  ssmDocumentName,
  ssmExecuteParameters,
  ssmUndoParameters,
} from '../../core/ssm-commands.js';
import type { SsmConnectorSettings } from '../../core/ssm-settings.js';
import { ConnectorPermanentError, ConnectorTransientError } from '../../core/workflow-errors.js';
import { tracer } from '../../observability.js';
import type { AwsAccounts } from './aws-accounts.js';
import { connectorErrorOf } from './aws-errors.js';
import { progressOfInvocation } from './ssm-invocation.js';

export interface SsmNodeClients {
  ssm: SSMClient;
  /** Tells an EC2 instance's platform (DescribeInstances). */
  ec2: EC2Client;
}

/** Where a target lives; absent parts are the function's own account and region. */
export interface SsmPlacement {
  accountId?: string;
  region?: string;
}

/** The clients for a target's account and region (cross-account: an assumed role's). */
export type SsmClientsFor = (target: SsmPlacement) => Promise<SsmNodeClients>;

/** In the account and region a target names: the member role's credentials there (aws-accounts.ts). */
export function crossAccountSsmClients(accounts: AwsAccounts): SsmClientsFor {
  return accounts.clientsFor((place) => ({
    ssm: tracer.captureAWSv3Client(
      new SSMClient({ region: place.region, credentials: place.credentials }),
    ),
    ec2: tracer.captureAWSv3Client(
      new EC2Client({ region: place.region, credentials: place.credentials }),
    ),
  }));
}

/** How long an undo waits for its command (undo answers at once), and how often it asks. */
type SsmConnectorOptions = { undoWaitMs?: number; pollIntervalMs?: number };

/** The target's account and region, when the alert named them. */
function placementOf(target: Target): SsmPlacement {
  const named: Record<string, unknown> = { ...target };
  const text = (key: string) => (typeof named[key] === 'string' ? String(named[key]) : undefined);
  return { accountId: text('accountId'), region: text('region') };
}

const LIST_PAGES = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SsmConnector implements Connector {
  readonly name: ConnectorName = 'ssm';
  readonly timeoutSeconds: number;
  private readonly undoWaitMs: number;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly clientsFor: SsmClientsFor,
    private readonly settings: SsmConnectorSettings,
    options: SsmConnectorOptions = {},
  ) {
    this.timeoutSeconds = settings.timeoutSeconds;
    this.undoWaitMs = options.undoWaitMs ?? 20_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
  }

  /** Sends the action's document to its node (once: a repeated submit finds the command). */
  async submit(action: Action): Promise<RemediationProgress> {
    const node = managedNodeOf(action);
    const clients = await this.clientsFor(placementOf(action.target));
    const sent = await this.findCommand(clients.ssm, action, node, action.id, false);
    if (sent?.CommandId) {
      return {
        state: 'running',
        ref: sent.CommandId,
        detail: `Command ${sent.CommandId} already sent to ${node}`,
      };
    }
    const platform = await this.platformOf(clients, node);
    const parameters = ssmExecuteParameters(action, platform);
    const document = ssmDocumentName(
      this.settings.documentPrefix,
      action.type as SsmActionType,
      platform,
    );
    const commandId = await this.send(clients.ssm, {
      node,
      document,
      parameters,
      comment: action.id,
    });
    return {
      state: 'running',
      ref: commandId,
      detail: `Command ${commandId} (${document}) sent to ${node}`,
    };
  }

  /** Where the action's command is on its node. */
  async status(action: Action, ref?: string): Promise<RemediationProgress> {
    const node = managedNodeOf(action);
    const clients = await this.clientsFor(placementOf(action.target));
    const commandId =
      ref ?? (await this.findCommand(clients.ssm, action, node, action.id, false))?.CommandId;
    if (!commandId) {
      return {
        state: 'failed',
        reason: `No Systems Manager command was sent to ${node} for this action`,
      };
    }
    const outcome = SSM_DOCUMENTS[action.type as SsmActionType].outcome;
    return this.invocation(clients.ssm, { commandId, node, outcome });
  }

  /**
   * Runs the document's undo with what the execute recorded (the action's result, never the
   * node's tags or state), and waits for it a while: undo answers at once. A command still
   * running is found again by the next try (its Comment is `<action id>:undo`).
   */
  async undo(action: Action): Promise<ConnectorOutcome> {
    const node = managedNodeOf(action);
    const type = action.type as SsmActionType;
    const { platform, parameters } = ssmUndoParameters(action);
    const clients = await this.clientsFor(placementOf(action.target));
    const comment = `${action.id}:undo`;
    const document = ssmDocumentName(this.settings.documentPrefix, type, platform);
    const commandId =
      (await this.findCommand(clients.ssm, action, node, comment, true))?.CommandId ??
      (await this.send(clients.ssm, { node, document, parameters, comment }));
    const outcome = SSM_DOCUMENTS[type].undoOutcome as string;
    const deadline = Date.now() + this.undoWaitMs;
    for (;;) {
      const progress = await this.invocation(clients.ssm, { commandId, node, outcome });
      if (progress.state === 'completed')
        return { outcome: progress.outcome, detail: progress.detail };
      if (progress.state === 'failed')
        throw new ConnectorPermanentError(`Undo failed: ${progress.reason}`);
      if (Date.now() + this.pollIntervalMs > deadline) {
        throw new ConnectorTransientError(
          `Undo command ${commandId} is still running on ${node}; asking again finds it`,
        );
      }
      await sleep(this.pollIntervalMs);
    }
  }

  /** Windows or Linux: an EC2 instance's platform, or a hybrid node's as SSM registered it. */
  private async platformOf(clients: SsmNodeClients, node: string): Promise<SsmPlatform> {
    let platform: string | undefined;
    try {
      if (node.startsWith('i-')) {
        const answer = await clients.ec2.send(
          new DescribeInstancesCommand({ InstanceIds: [node] }),
        );
        const instance = answer.Reservations?.[0]?.Instances?.[0];
        if (!instance) throw new ConnectorPermanentError(`EC2 instance ${node} does not exist`);
        // EC2 answers `windows` for Windows instances and nothing for the others.
        platform =
          String(instance.Platform ?? '').toLowerCase() === 'windows' ? 'Windows' : 'Linux';
      } else {
        const answer = await clients.ssm.send(
          new DescribeInstanceInformationCommand({
            Filters: [{ Key: 'InstanceIds', Values: [node] }],
          }),
        );
        platform = answer.InstanceInformationList?.[0]?.PlatformType;
        if (!platform)
          throw new ConnectorPermanentError(`${node} is not registered with Systems Manager`);
      }
    } catch (error) {
      throw connectorErrorOf(error, `looking up the platform of ${node}`);
    }
    if (platform !== 'Linux' && platform !== 'Windows') {
      throw new ConnectorPermanentError(
        `${node} runs ${platform}: only Linux and Windows nodes are handled`,
      );
    }
    return platform;
  }

  private async send(
    ssm: SSMClient,
    command: { node: string; document: string; parameters: SsmParameters; comment: string },
  ): Promise<string> {
    // SSM gives up delivering to an offline node first, so the action fails with that reason
    // before the workflow's own timeout.
    const delivery = Math.max(30, this.timeoutSeconds - SSM_SCRIPT_TIMEOUT_SECONDS);
    try {
      const answer = await ssm.send(
        new SendCommandCommand({
          InstanceIds: [command.node],
          DocumentName: command.document,
          Parameters: Object.fromEntries(
            Object.entries(command.parameters).map(([name, value]) => [name, [value ?? '']]),
          ),
          Comment: command.comment,
          TimeoutSeconds: delivery,
        }),
      );
      const commandId = answer.Command?.CommandId;
      if (!commandId)
        throw new ConnectorTransientError(`SendCommand to ${command.node} answered no command id`);
      return commandId;
    } catch (error) {
      throw connectorErrorOf(error, `sending ${command.document} to ${command.node}`);
    }
  }

  /**
   * The command sent for `comment` (the action id, or `<id>:undo`) with one of our documents; for
   * undo, a failed command does not count, so a failed undo can be tried again.
   */
  private async findCommand(
    ssm: SSMClient,
    action: Action,
    node: string,
    comment: string,
    skipFailed: boolean,
  ): Promise<Command | undefined> {
    const ours = `${this.settings.documentPrefix}-`;
    let nextToken: string | undefined;
    try {
      for (let page = 0; page < LIST_PAGES; page += 1) {
        const answer = await ssm.send(
          new ListCommandsCommand({
            InstanceId: node,
            Filters: [{ key: 'InvokedAfter', value: action.createdAt.replace(/\.\d+Z$/, 'Z') }],
            NextToken: nextToken,
          }),
        );
        const found = (answer.Commands ?? []).find(
          (c) =>
            c.Comment === comment &&
            c.DocumentName?.startsWith(ours) &&
            !(skipFailed && ['Failed', 'Cancelled', 'TimedOut'].includes(c.Status ?? '')),
        );
        if (found) return found;
        nextToken = answer.NextToken;
        if (!nextToken) return undefined;
      }
      return undefined;
    } catch (error) {
      throw connectorErrorOf(error, `listing the commands sent to ${node}`);
    }
  }

  private async invocation(
    ssm: SSMClient,
    what: { commandId: string; node: string; outcome: string },
  ): Promise<RemediationProgress> {
    try {
      const answer = await ssm.send(
        new GetCommandInvocationCommand({ CommandId: what.commandId, InstanceId: what.node }),
      );
      return progressOfInvocation(answer, what);
    } catch (error) {
      // Just after SendCommand the invocation may not exist yet: still on its way.
      if (error instanceof Error && error.name === 'InvocationDoesNotExist') {
        return {
          state: 'running',
          ref: what.commandId,
          detail: `Command ${what.commandId} is on its way to ${what.node}`,
        };
      }
      throw connectorErrorOf(error, `reading command ${what.commandId} on ${what.node}`);
    }
  }
}
