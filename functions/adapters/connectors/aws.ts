// The aws connector, for targets that live in AWS: isolates an EC2 instance (./aws-isolation.ts)
// and blocks a URL's host in a DNS Firewall domain list (./aws-dns-firewall.ts). Any other action
// type is refused.
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53ResolverClient } from '@aws-sdk/client-route53resolver';
import type { Config } from '../../config.js';
import type { AwsConnectorSettings, ConnectorName } from '../../core/connector-settings.js';
import type { Action } from '../../core/model.js';
import type { Connector, ConnectorOutcome, RemediationProgress } from '../../core/ports.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';
import { tracer } from '../../observability.js';
import { DnsFirewallBlocklist } from './aws-dns-firewall.js';
import { Ec2Isolation } from './aws-isolation.js';

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

export class AwsConnector implements Connector {
  readonly name: ConnectorName = 'aws';
  readonly timeoutSeconds: number;
  private readonly isolation: Ec2Isolation;
  private readonly blocklist: DnsFirewallBlocklist;

  constructor(clients: AwsClients, settings: AwsConnectorSettings) {
    this.timeoutSeconds = settings.timeoutSeconds;
    this.isolation = new Ec2Isolation(clients.ec2, settings.isolationSecurityGroupId);
    this.blocklist = new DnsFirewallBlocklist(clients.resolver, settings.dnsFirewallDomainListId);
  }

  /** Both changes are made within the call: EC2 and Route 53 Resolver apply them at once. */
  async submit(action: Action): Promise<RemediationProgress> {
    switch (action.type) {
      case 'isolateDevice':
        return { state: 'completed', ...(await this.isolation.isolate(action)) };
      case 'blockUrl':
        return { state: 'completed', ...(await this.blocklist.updateDomains(action, 'ADD')) };
      default:
        throw new ConnectorPermanentError(`aws connector does not handle ${action.type}`);
    }
  }

  // Submitting again is idempotent (tagged groups are kept, a listed domain stays listed) and answers the target as it is now.
  status(action: Action): Promise<RemediationProgress> {
    return this.submit(action);
  }

  async undo(action: Action): Promise<ConnectorOutcome> {
    switch (action.type) {
      case 'isolateDevice':
        return this.isolation.release(action);
      case 'blockUrl':
        return this.blocklist.updateDomains(action, 'REMOVE');
      default:
        throw new ConnectorPermanentError(`aws connector does not handle ${action.type}`);
    }
  }
}
