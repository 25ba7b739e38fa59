// The aws connector's URL blocking: adds a URL's host to a Route 53 Resolver DNS Firewall domain
// list (undo removes it).
import { isIP } from 'node:net';
import {
  type FirewallDomainUpdateOperation,
  type Route53ResolverClient,
  UpdateFirewallDomainsCommand,
} from '@aws-sdk/client-route53resolver';
import type { ConnectorName } from '../../core/connector-settings.js';
import type { Action } from '../../core/model.js';
import type { ConnectorOutcome } from '../../core/ports.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';
import { logger } from '../../observability.js';
import { connectorErrorOf } from './aws-errors.js';

const AWS: ConnectorName = 'aws';

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

export class DnsFirewallBlocklist {
  constructor(
    private readonly resolver: Route53ResolverClient,
    private readonly domainListId: string | undefined,
  ) {}

  async updateDomains(
    action: Action,
    operation: FirewallDomainUpdateOperation,
  ): Promise<ConnectorOutcome> {
    const listId = this.domainListId;
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
      await this.resolver.send(
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
      connector: AWS,
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
