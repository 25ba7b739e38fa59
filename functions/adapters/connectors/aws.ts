// The aws connector, for targets that live in AWS: isolates an EC2 instance by moving each of its
// network interfaces into an isolation security group (the previous groups are tagged on the
// interface, and returned in the result, so undo restores them), and blocks a URL by adding its
// host to a Route 53 Resolver DNS Firewall domain list. Any other action type is refused.
import { isIP } from 'node:net';
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  type NetworkInterface,
  type Tag,
} from '@aws-sdk/client-ec2';
import {
  type FirewallDomainUpdateOperation,
  Route53ResolverClient,
  UpdateFirewallDomainsCommand,
} from '@aws-sdk/client-route53resolver';
import type { Config } from '../../config.js';
import type { AwsConnectorSettings } from '../../core/connector-settings.js';
import type { Action } from '../../core/model.js';
import type { Connector, ConnectorOutcome } from '../../core/ports.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';
import { logger, tracer } from '../../observability.js';
import { connectorErrorOf } from './aws-errors.js';

const AWS_CONNECTOR = 'aws';

/** Tags on each isolated network interface: what to restore, and which action isolated it. */
export const PREVIOUS_GROUPS_TAG = 'actioncenter:previous-security-groups';
export const ISOLATED_BY_TAG = 'actioncenter:isolated-by';
/** An EC2 tag value holds 256 characters: 12 group ids, so longer lists go on to `…:2`, `…:3`. */
const GROUPS_PER_TAG = 12;

export interface AwsClients {
  ec2: EC2Client;
  resolver: Route53ResolverClient;
}

export function createAwsConnectorClients(config: Pick<Config, 'region'>): AwsClients {
  return {
    ec2: tracer.captureAWSv3Client(new EC2Client({ region: config.region })),
    resolver: tracer.captureAWSv3Client(new Route53ResolverClient({ region: config.region })),
  };
}

/** What isolation changed, in the action's result: undo falls back on it if the tags are gone. */
interface IsolationRecord {
  instanceId: string;
  isolationSecurityGroupId: string;
  /** Network interface id → the security groups it had before isolation. */
  previousSecurityGroups: Record<string, string[]>;
}

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

function instanceIdOf(action: Action): string {
  const { deviceId, id } = action.target;
  const instanceId = [deviceId, id].find((v) => v !== undefined && INSTANCE_ID.test(v));
  if (!instanceId) {
    throw new ConnectorPermanentError(
      `Device ${action.target.displayName} is not an EC2 instance (no i-... id in deviceId or id)`,
    );
  }
  return instanceId;
}

/** A URL's host as DNS Firewall lists it; undefined when there is no domain name to block. */
export function blockableHostOf(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') || isIP(host) !== 0) return undefined;
  return /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(host) ? host : undefined;
}

function groupTags(groups: string[]): Tag[] {
  const tags: Tag[] = [];
  for (let i = 0; i < groups.length; i += GROUPS_PER_TAG) {
    const n = i / GROUPS_PER_TAG + 1;
    tags.push({
      Key: n === 1 ? PREVIOUS_GROUPS_TAG : `${PREVIOUS_GROUPS_TAG}:${n}`,
      Value: groups.slice(i, i + GROUPS_PER_TAG).join(','),
    });
  }
  return tags;
}

/** The previous groups tagged on an interface, or undefined when it was not isolated by us. */
function taggedGroups(tags: Tag[] = []): { groups: string[]; keys: string[] } | undefined {
  const ours = tags
    .filter((t) => t.Key === PREVIOUS_GROUPS_TAG || t.Key?.startsWith(`${PREVIOUS_GROUPS_TAG}:`))
    .map((t) => ({ key: t.Key as string, n: Number(t.Key?.split(':')[2] ?? 1), value: t.Value }))
    .sort((a, b) => a.n - b.n);
  if (ours.length === 0) return undefined;
  const groups = ours.flatMap((t) => (t.value ?? '').split(',').filter(Boolean));
  const keys = ours.map((t) => t.key);
  if (tags.some((t) => t.Key === ISOLATED_BY_TAG)) keys.push(ISOLATED_BY_TAG);
  return { groups, keys };
}

const groupIdsOf = (eni: NetworkInterface) =>
  (eni.Groups ?? []).map((g) => g.GroupId).filter((id): id is string => id !== undefined);

const sameGroups = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

function recordedIsolation(action: Action): IsolationRecord | undefined {
  try {
    const record = JSON.parse(action.result?.detail ?? '') as Partial<IsolationRecord>;
    return typeof record.previousSecurityGroups === 'object'
      ? (record as IsolationRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

export class AwsConnector implements Connector {
  readonly name = AWS_CONNECTOR;

  constructor(
    private readonly clients: AwsClients,
    private readonly settings: AwsConnectorSettings,
  ) {}

  async execute(action: Action): Promise<ConnectorOutcome> {
    switch (action.type) {
      case 'isolateDevice':
        return this.isolate(action);
      case 'blockUrl':
        return this.updateDomains(action, 'ADD');
      default:
        throw new ConnectorPermanentError(`aws connector does not handle ${action.type}`);
    }
  }

  async undo(action: Action): Promise<ConnectorOutcome> {
    switch (action.type) {
      case 'isolateDevice':
        return this.release(action);
      case 'blockUrl':
        return this.updateDomains(action, 'REMOVE');
      default:
        throw new ConnectorPermanentError(`aws connector does not handle ${action.type}`);
    }
  }

  private isolationGroup(): string {
    const group = this.settings.isolationSecurityGroupId;
    if (!group) {
      throw new ConnectorPermanentError(
        'aws connector cannot isolate devices: AWS_ISOLATION_SECURITY_GROUP_ID is not set',
      );
    }
    return group;
  }

  private async interfacesOf(instanceId: string, what: string): Promise<NetworkInterface[]> {
    let interfaces: NetworkInterface[];
    try {
      const out = await this.clients.ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }],
        }),
      );
      interfaces = out.NetworkInterfaces ?? [];
    } catch (error) {
      throw connectorErrorOf(error, what);
    }
    if (interfaces.length === 0) {
      throw new ConnectorPermanentError(
        `EC2 instance ${instanceId} not found (no network interface attached)`,
      );
    }
    return interfaces;
  }

  /**
   * Tags each interface with its groups first, then swaps them: a retry after a partial run
   * reads the tags, so it never records the isolation group as the group to restore.
   */
  private async isolate(action: Action): Promise<ConnectorOutcome> {
    const isolation = this.isolationGroup();
    const instanceId = instanceIdOf(action);
    const what = `isolating EC2 instance ${instanceId}`;
    const interfaces = await this.interfacesOf(instanceId, what);
    const record: IsolationRecord = {
      instanceId,
      isolationSecurityGroupId: isolation,
      previousSecurityGroups: {},
    };
    try {
      for (const eni of interfaces) {
        const eniId = eni.NetworkInterfaceId as string;
        const groups = groupIdsOf(eni);
        const isolated = sameGroups(groups, [isolation]);
        const tagged = taggedGroups(eni.TagSet);
        if (tagged) {
          record.previousSecurityGroups[eniId] = tagged.groups;
        } else if (!isolated) {
          await this.clients.ec2.send(
            new CreateTagsCommand({
              Resources: [eniId],
              Tags: [...groupTags(groups), { Key: ISOLATED_BY_TAG, Value: action.id }],
            }),
          );
          record.previousSecurityGroups[eniId] = groups;
        }
        if (!isolated) {
          await this.clients.ec2.send(
            new ModifyNetworkInterfaceAttributeCommand({
              NetworkInterfaceId: eniId,
              Groups: [isolation],
            }),
          );
        }
      }
    } catch (error) {
      throw connectorErrorOf(error, what);
    }
    logger.info('EC2 instance isolated', { connector: this.name, actionId: action.id, ...record });
    return { outcome: 'DeviceIsolated', detail: JSON.stringify(record) };
  }

  /** Restores each interface's tagged groups (or those in the result), then drops the tags. */
  private async release(action: Action): Promise<ConnectorOutcome> {
    const isolation = this.isolationGroup();
    const instanceId = instanceIdOf(action);
    const what = `releasing EC2 instance ${instanceId}`;
    const interfaces = await this.interfacesOf(instanceId, what);
    const recorded = recordedIsolation(action)?.previousSecurityGroups ?? {};
    const restored: Record<string, string[]> = {};
    try {
      for (const eni of interfaces) {
        const eniId = eni.NetworkInterfaceId as string;
        const tagged = taggedGroups(eni.TagSet);
        const previous = tagged?.groups ?? recorded[eniId];
        if (!previous || previous.length === 0) continue;
        if (!sameGroups(groupIdsOf(eni), previous)) {
          await this.clients.ec2.send(
            new ModifyNetworkInterfaceAttributeCommand({
              NetworkInterfaceId: eniId,
              Groups: previous,
            }),
          );
        }
        if (tagged) {
          await this.clients.ec2.send(
            new DeleteTagsCommand({
              Resources: [eniId],
              Tags: tagged.keys.map((Key) => ({ Key })),
            }),
          );
        }
        restored[eniId] = previous;
      }
    } catch (error) {
      throw connectorErrorOf(error, what);
    }
    if (Object.keys(restored).length === 0) {
      if (interfaces.some((eni) => sameGroups(groupIdsOf(eni), [isolation]))) {
        throw new ConnectorPermanentError(
          `No record of the security groups EC2 instance ${instanceId} had before isolation: restore them by hand`,
        );
      }
      return { outcome: 'DeviceReleased', detail: `EC2 instance ${instanceId} is not isolated` };
    }
    logger.info('EC2 instance released', { connector: this.name, actionId: action.id, restored });
    return {
      outcome: 'DeviceReleased',
      detail: JSON.stringify({ instanceId, restoredSecurityGroups: restored }),
    };
  }

  private async updateDomains(
    action: Action,
    operation: FirewallDomainUpdateOperation,
  ): Promise<ConnectorOutcome> {
    const listId = this.settings.dnsFirewallDomainListId;
    if (!listId) {
      throw new ConnectorPermanentError(
        'aws connector cannot block URLs: AWS_DNS_FIREWALL_DOMAIN_LIST_ID is not set',
      );
    }
    const host = blockableHostOf(action.target.id);
    if (!host) {
      throw new ConnectorPermanentError(
        `URL ${action.target.displayName} has no domain name to block (DNS Firewall blocks domains, not IP addresses)`,
      );
    }
    const adding = operation === 'ADD';
    try {
      await this.clients.resolver.send(
        new UpdateFirewallDomainsCommand({
          FirewallDomainListId: listId,
          Operation: operation,
          Domains: [host],
        }),
      );
    } catch (error) {
      throw connectorErrorOf(error, `${adding ? 'blocking' : 'unblocking'} ${host} in ${listId}`);
    }
    logger.info(adding ? 'Domain blocked' : 'Domain unblocked', {
      connector: this.name,
      actionId: action.id,
      host,
      domainListId: listId,
    });
    return adding
      ? { outcome: 'UrlBlocked', detail: `Added ${host} to DNS Firewall domain list ${listId}` }
      : {
          outcome: 'UrlUnblocked',
          detail: `Removed ${host} from DNS Firewall domain list ${listId}`,
        };
  }
}
