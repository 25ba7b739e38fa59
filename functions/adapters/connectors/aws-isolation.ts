// The aws connector's device isolation: moves each network interface of an EC2 instance into an
// isolation security group. The previous groups are tagged on the interface first (a retried run
// reads them back), and recorded in the action's result, from which undo restores them.
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
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

/** What isolation changed, in the action's result: what undo restores. */
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

/**
 * The previous groups this action tagged on an interface (a retried run), or undefined. Tags
 * another principal set are never trusted: anyone who may tag an interface could name them.
 */
function groupsTaggedBy(actionId: string, tags: Tag[] = []): string[] | undefined {
  if (!tags.some((t) => t.Key === ISOLATED_BY_TAG && t.Value === actionId)) return undefined;
  const ours = tags
    .filter((t) => t.Key === PREVIOUS_GROUPS_TAG || t.Key?.startsWith(`${PREVIOUS_GROUPS_TAG}:`))
    .map((t) => ({ n: Number(t.Key?.split(':')[2] ?? 1), value: t.Value }))
    .sort((a, b) => a.n - b.n);
  if (ours.length === 0) return undefined;
  return ours.flatMap((t) => (t.value ?? '').split(',').filter(Boolean));
}

/** Our tag keys on an interface, to drop once its groups are restored. */
const ourTagKeys = (tags: Tag[] = []) =>
  tags
    .map((t) => t.Key as string)
    .filter((k) => k === ISOLATED_BY_TAG || k?.startsWith(PREVIOUS_GROUPS_TAG));

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

/** The tag that marks a member account's isolation group in each VPC (no rules). */
export const ISOLATION_GROUP_TAG = { Key: 'ActionCenterIsolation', Value: 'true' } as const;

export class Ec2Isolation {
  /** `securityGroupId`: the configured group (the hub's account); elsewhere it is found by tag. */
  constructor(
    private readonly ec2: EC2Client,
    private readonly securityGroupId: string | undefined,
  ) {}

  /** The configured group, else the one tagged ActionCenterIsolation=true in the interface's VPC. */
  private async isolationGroupFor(vpcId: string | undefined, what: string): Promise<string> {
    if (this.securityGroupId) return this.securityGroupId;
    let groups: string[];
    try {
      const out = await this.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId ?? ''] },
            { Name: `tag:${ISOLATION_GROUP_TAG.Key}`, Values: [ISOLATION_GROUP_TAG.Value] },
          ],
        }),
      );
      groups = (out.SecurityGroups ?? []).map((g) => g.GroupId as string).sort();
    } catch (error) {
      throw connectorErrorOf(error, what);
    }
    const [group] = groups;
    if (!group) {
      throw new ConnectorPermanentError(
        `No isolation security group in VPC ${vpcId}: create one with no rules, tagged ${ISOLATION_GROUP_TAG.Key}=${ISOLATION_GROUP_TAG.Value}`,
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
    const instanceId = instanceIdOf(action);
    const what = `isolating EC2 instance ${instanceId}`;
    const interfaces = await this.interfacesOf(instanceId, what);
    // An instance's interfaces all live in its VPC.
    const isolation = await this.isolationGroupFor(interfaces[0]?.VpcId, what);
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
        const tagged = groupsTaggedBy(action.id, eni.TagSet);
        if (tagged) {
          record.previousSecurityGroups[eniId] = tagged;
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

  /**
   * Restores each interface's groups as the action's result recorded them, never as tags say:
   * whoever may tag an interface must not choose the groups undo puts back.
   */
  async release(action: Action): Promise<ConnectorOutcome> {
    const instanceId = instanceIdOf(action);
    const recorded = recordedIsolation(action);
    if (!recorded || recorded.instanceId !== instanceId) {
      throw new ConnectorPermanentError(
        `No record of the security groups EC2 instance ${instanceId} had before isolation in the action's result: restore them by hand`,
      );
    }
    const what = `releasing EC2 instance ${instanceId}`;
    const interfaces = await this.interfacesOf(instanceId, what);
    const restored: Record<string, string[]> = {};
    try {
      for (const eni of interfaces) {
        const eniId = eni.NetworkInterfaceId as string;
        const previous = recorded.previousSecurityGroups[eniId];
        if (!previous || previous.length === 0) continue;
        if (!sameGroups(groupIdsOf(eni), previous)) {
          await this.ec2.send(
            new ModifyNetworkInterfaceAttributeCommand({
              NetworkInterfaceId: eniId,
              Groups: previous,
            }),
          );
        }
        const isolatedByThis = (eni.TagSet ?? []).some(
          (t) => t.Key === ISOLATED_BY_TAG && t.Value === action.id,
        );
        const keys = ourTagKeys(eni.TagSet);
        if (isolatedByThis && keys.length > 0) {
          await this.ec2.send(
            new DeleteTagsCommand({ Resources: [eniId], Tags: keys.map((Key) => ({ Key })) }),
          );
        }
        restored[eniId] = previous;
      }
    } catch (error) {
      throw connectorErrorOf(error, what);
    }
    if (Object.keys(restored).length === 0) {
      return {
        outcome: 'DeviceReleased',
        detail: `EC2 instance ${instanceId}: none of the interfaces this action isolated is attached any more`,
      };
    }
    logger.info('EC2 instance released', { connector: AWS, actionId: action.id, restored });
    return {
      outcome: 'DeviceReleased',
      detail: JSON.stringify({ instanceId, restoredSecurityGroups: restored }),
    };
  }
}
