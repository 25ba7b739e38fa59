// The aws connector, for targets that live in AWS: isolates an EC2 instance (./aws-isolation.ts)
// and blocks a URL's host in a DNS Firewall domain list (./aws-dns-firewall.ts). Any other action
// type is refused.
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53ResolverClient } from '@aws-sdk/client-route53resolver';
import { STSClient } from '@aws-sdk/client-sts';
import type { Config } from '../../config.js';
import type { AwsConnectorSettings } from '../../core/aws-connector-settings.js';
import type { ConnectorName } from '../../core/connector-settings.js';
import type { DomainHoldStore } from '../../core/domain-holds.js';
import type { Action } from '../../core/model.js';
import type { Connector, ConnectorOutcome, RemediationProgress } from '../../core/ports.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';
import { tracer } from '../../observability.js';
import { AwsAccounts, type AwsClientPlace, type AwsPlace } from './aws-accounts.js';
import { DnsFirewallBlocklist } from './aws-dns-firewall.js';
import { Ec2Isolation } from './aws-isolation.js';

export interface AwsClients {
  /** Where these clients act: the hub's own account, or a member account's role. */
  place: AwsClientPlace;
  ec2: EC2Client;
  resolver: Route53ResolverClient;
}

/** The clients for a target's account and region (AwsAccounts.clientsFor). */
export type AwsClientsFor = (target: AwsPlace) => Promise<AwsClients>;

/** The function's member access: STS for the member role, one client set per account and region. */
export function createAwsAccounts(
  config: Pick<Config, 'region'>,
  settings: AwsConnectorSettings,
): AwsAccounts {
  const sts = tracer.captureAWSv3Client(new STSClient({ region: config.region }));
  return new AwsAccounts(sts, { region: config.region, ...settings });
}

export function createAwsConnectorClients(accounts: AwsAccounts): AwsClientsFor {
  return accounts.clientsFor((place) => ({
    place,
    ec2: tracer.captureAWSv3Client(
      new EC2Client({ region: place.region, credentials: place.credentials }),
    ),
    resolver: tracer.captureAWSv3Client(
      new Route53ResolverClient({ region: place.region, credentials: place.credentials }),
    ),
  }));
}

export interface AwsConnectorPorts {
  clientsFor: AwsClientsFor;
  /** Who holds each blocked domain (the table). */
  holds: DomainHoldStore;
}

export class AwsConnector implements Connector {
  readonly name: ConnectorName = 'aws';
  readonly timeoutSeconds: number;

  constructor(
    private readonly ports: AwsConnectorPorts,
    private readonly settings: AwsConnectorSettings,
  ) {
    this.timeoutSeconds = settings.timeoutSeconds;
  }

  /** EC2 in the account and region the target names; its configured group only in the hub's. */
  private async isolationOf(action: Action): Promise<Ec2Isolation> {
    const { ec2, place } = await this.ports.clientsFor(action.target);
    return new Ec2Isolation(ec2, place.hub ? this.settings.isolationSecurityGroupId : undefined);
  }

  /** The hub's domain list: share its rule group with the organization to block everywhere. */
  private async blocklist(): Promise<DnsFirewallBlocklist> {
    const { resolver } = await this.ports.clientsFor({});
    return new DnsFirewallBlocklist(
      resolver,
      this.settings.dnsFirewallDomainListId,
      this.ports.holds,
    );
  }

  /** Both changes are made within the call: EC2 and Route 53 Resolver apply them at once. */
  async submit(action: Action): Promise<RemediationProgress> {
    switch (action.type) {
      case 'isolateDevice':
        return { state: 'completed', ...(await (await this.isolationOf(action)).isolate(action)) };
      case 'blockUrl':
        return { state: 'completed', ...(await (await this.blocklist()).block(action)) };
      default:
        throw new ConnectorPermanentError(`aws connector does not handle ${action.type}`);
    }
  }

  // Submitting again is idempotent (this action's tagged groups are kept, its hold is kept) and answers the target as it is now.
  status(action: Action): Promise<RemediationProgress> {
    return this.submit(action);
  }

  async undo(action: Action): Promise<ConnectorOutcome> {
    switch (action.type) {
      case 'isolateDevice':
        return (await this.isolationOf(action)).release(action);
      case 'blockUrl':
        return (await this.blocklist()).unblock(action);
      default:
        throw new ConnectorPermanentError(`aws connector does not handle ${action.type}`);
    }
  }
}
