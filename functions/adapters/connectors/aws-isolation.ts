// The aws connector's device isolation: moves each network interface of an EC2 instance into an
// isolation security group. The previous groups are tagged on the interface first, and returned in
// the result, so undo restores them.
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeNetworkInterfacesCommand,
  type EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  type NetworkInterface,
  type Tag,
} from '@aws-sdk/client-ec2';
import type { ConnectorName } from '../../core/connector-settings.js';
import type { Action } from '../../core/model.js';
import type { ConnectorOutcome } from '../../core/ports.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';
import { logger } from '../../observability.js';
import { connectorErrorOf } from './aws-errors.js';

const AWS: ConnectorName = 'aws';

/** Tags on each isolated network interface: what to restore, and which action isolated it. */
export const PREVIOUS_GROUPS_TAG = 'actioncenter:previous-security-groups';
export const ISOLATED_BY_TAG = 'actioncenter:isolated-by';
/** An EC2 tag value holds 256 characters: 12 group ids, so longer lists go on to `…:2`, `…:3`. */
const GROUPS_PER_TAG = 12;

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

export class Ec2Isolation {
  constructor(
    private readonly ec2: EC2Client,
    private readonly securityGroupId: string | undefined,
  ) {}

  private isolationGroup(): string {
    const group = this.securityGroupId;
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
      const out = await this.ec2.send(
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
  async isolate(action: Action): Promise<ConnectorOutcome> {
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
          await this.ec2.send(
            new CreateTagsCommand({
              Resources: [eniId],
              Tags: [...groupTags(groups), { Key: ISOLATED_BY_TAG, Value: action.id }],
            }),
          );
          record.previousSecurityGroups[eniId] = groups;
        }
        if (!isolated) {
          await this.ec2.send(
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
    logger.info('EC2 instance isolated', { connector: AWS, actionId: action.id, ...record });
    return { outcome: 'DeviceIsolated', detail: JSON.stringify(record) };
  }

  /** Restores each interface's tagged groups (or those in the result), then drops the tags. */
  async release(action: Action): Promise<ConnectorOutcome> {
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
          await this.ec2.send(
            new ModifyNetworkInterfaceAttributeCommand({
              NetworkInterfaceId: eniId,
              Groups: previous,
            }),
          );
        }
        if (tagged) {
          await this.ec2.send(
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
    logger.info('EC2 instance released', { connector: AWS, actionId: action.id, restored });
    return {
      outcome: 'DeviceReleased',
      detail: JSON.stringify({ instanceId, restoredSecurityGroups: restored }),
    };
  }
}
