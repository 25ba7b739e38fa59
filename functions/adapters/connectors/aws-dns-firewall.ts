// The aws connector's URL blocking: adds a URL's host to a Route 53 Resolver DNS Firewall domain
// list, held by the action in a reference record (undo removes only what nobody else holds).
import { isIP } from 'node:net';
import {
  type FirewallDomainUpdateOperation,
  ListFirewallDomainsCommand,
  type Route53ResolverClient,
  UpdateFirewallDomainsCommand,
} from '@aws-sdk/client-route53resolver';
import type { ConnectorName } from '../../core/connector-settings.js';
import {
  type DomainHold,
  type DomainHoldStore,
  type UnblockDecision,
  unblockDecision,
} from '../../core/domain-holds.js';
import type { Action } from '../../core/model.js';
import type { ConnectorOutcome } from '../../core/ports.js';
import { ConnectorPermanentError, ConnectorTransientError } from '../../core/workflow-errors.js';
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

/** What blockUrl did, in the action's result. */
interface BlockRecord {
  host: string;
  domainListId: string;
  /** False when the host was listed before: undo then leaves it there. */
  addedByActionCenter: boolean;
}

/** A holder may race another writer creating the record: join or create, a few times. */
const HOLD_ATTEMPTS = 3;

export class DnsFirewallBlocklist {
  constructor(
    private readonly resolver: Route53ResolverClient,
    private readonly domainListId: string | undefined,
    private readonly holds: DomainHoldStore,
  ) {}

  /**
   * Adds the host unless it is listed already, and holds it for this action: the reference
   * record says whether the Action Center added it, so undo never removes what it found there.
   */
  async block(action: Action): Promise<ConnectorOutcome> {
    const { listId, host } = this.targetOf(action);
    const what = `blocking ${host} in ${listId}`;
    let added: boolean;
    try {
      added = await this.hold(listId, host, action.id);
    } catch (error) {
      throw connectorErrorOf(error, what);
    }
    if (added) await this.update(listId, host, 'ADD', what);
    const record: BlockRecord = { host, domainListId: listId, addedByActionCenter: added };
    logger.info('Domain blocked', { connector: AWS, actionId: action.id, ...record });
    return { outcome: 'UrlBlocked', detail: JSON.stringify(record) };
  }

  /** Joins the domain's record, or creates it saying whether the host was listed; answers `added`. */
  private async hold(listId: string, host: string, actionId: string): Promise<boolean> {
    for (let attempt = 0; attempt < HOLD_ATTEMPTS; attempt += 1) {
      const hold = await this.holds.join(listId, host, actionId);
      if (hold?.added) return true;
      const listed = await this.listed(listId, host);
      if (hold) {
        // Listed before, removed by someone since: now it is the Action Center's to remove.
        if (!listed) await this.holds.markAdded(listId, host);
        return !listed;
      }
      if (await this.holds.create(listId, host, actionId, !listed)) return !listed;
    }
    throw new ConnectorTransientError(`the block record of ${host} kept changing`);
  }

  /** Leaves the hold; removes the host only if the Action Center added it and no one else holds it. */
  async unblock(action: Action): Promise<ConnectorOutcome> {
    const { listId, host } = this.targetOf(action);
    const what = `unblocking ${host} in ${listId}`;
    let hold: DomainHold | undefined;
    try {
      hold = await this.holds.leave(listId, host, action.id);
    } catch (error) {
      throw connectorErrorOf(error, what);
    }
    const decision = unblockDecision(hold);
    if (decision === 'remove') await this.update(listId, host, 'REMOVE', what);
    // Removed first, released after: a retried undo finds the empty record and finishes.
    if (decision === 'remove' || decision === 'keepListedBefore') {
      await this.holds.release(listId, host).catch((error: unknown) => {
        throw connectorErrorOf(error, what);
      });
    }
    logger.info('Domain unblocked', { connector: AWS, actionId: action.id, host, decision });
    const kept: Record<Exclude<UnblockDecision, 'remove'>, string> = {
      keepForOthers: `${host} stays in DNS Firewall domain list ${listId}: other actions still block it (${hold?.holders.join(', ')})`,
      keepListedBefore: `${host} stays in DNS Firewall domain list ${listId}: it was listed before the Action Center blocked it`,
      keepUnrecorded: `${host} stays in DNS Firewall domain list ${listId}: no record says the Action Center added it`,
    };
    return {
      outcome: 'UrlUnblocked',
      detail:
        decision === 'remove'
          ? `Removed ${host} from DNS Firewall domain list ${listId}`
          : kept[decision],
    };
  }

  private targetOf(action: Action): { listId: string; host: string } {
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
    return { listId, host };
  }

  /** Whether the list names the host already (every page read; lists hold up to 100,000). */
  private async listed(listId: string, host: string): Promise<boolean> {
    let NextToken: string | undefined;
    do {
      const out = await this.resolver.send(
        new ListFirewallDomainsCommand({
          FirewallDomainListId: listId,
          MaxResults: 1000,
          NextToken,
        }),
      );
      if ((out.Domains ?? []).some((d) => d.toLowerCase().replace(/\.$/, '') === host)) return true;
      NextToken = out.NextToken;
    } while (NextToken);
    return false;
  }

  private async update(
    listId: string,
    host: string,
    operation: FirewallDomainUpdateOperation,
    what: string,
  ): Promise<void> {
    try {
      await this.resolver.send(
        new UpdateFirewallDomainsCommand({
          FirewallDomainListId: listId,
          Operation: operation,
          Domains: [host],
        }),
      );
    } catch (error) {
      throw connectorErrorOf(error, what);
    }
  }
}
