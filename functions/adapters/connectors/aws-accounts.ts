// Where a target lives in AWS: the hub's own account (the function's role) or a member account,
// reached by assuming the member stack's remediation role with the external id. Credentials are
// kept until shortly before they expire; one client set per account and region.
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { Clock } from '../../core/ports.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';
import { connectorErrorOf } from './aws-errors.js';

/** The account and region a target names (an action's target carries both when known). */
export interface AwsPlace {
  accountId?: string;
  region?: string;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** What a client factory gets: the region, and credentials unless the function's own are meant. */
export interface AwsClientPlace {
  region: string;
  accountId?: string;
  /** Absent in the hub's own account: the SDK's default chain (the function's role). */
  credentials?: () => Promise<TemporaryCredentials>;
  /** True in the hub's own account. */
  hub: boolean;
}

export interface MemberAccessSettings {
  /** The hub's region: a target naming none is acted on here. */
  region: string;
  /** The member stack's role name; unset, only the hub's own account is reachable. */
  memberRoleName?: string;
  memberExternalId?: string;
  /** The hub's account id when known (config); otherwise asked of STS once. */
  hubAccountId?: string;
}

/** Credentials are renewed this long before they expire, so no call starts on stale ones. */
const RENEW_BEFORE_MS = 5 * 60_000;
/** One hour: the longest a role-chained session may last, and the default of the member role. */
const SESSION_SECONDS = 3_600;
const SESSION_NAME = 'ActionCenterRemediation';

export class AwsAccounts {
  private hubAccount: Promise<string> | undefined;
  private readonly sessions = new Map<string, Promise<TemporaryCredentials>>();
  private readonly clients = new Map<string, Promise<unknown>>();

  constructor(
    private readonly sts: STSClient,
    private readonly settings: MemberAccessSettings,
    private readonly clock: Clock = () => new Date(),
  ) {}

  /** The hub's account id: configured, or from STS GetCallerIdentity once per process. */
  hubAccountId(): Promise<string> {
    if (this.settings.hubAccountId) return Promise.resolve(this.settings.hubAccountId);
    this.hubAccount ??= this.sts
      .send(new GetCallerIdentityCommand({}))
      .then((out) => out.Account as string)
      .catch((error: unknown) => {
        this.hubAccount = undefined;
        throw connectorErrorOf(error, 'reading the hub account id');
      });
    return this.hubAccount;
  }

  /** Where a target is acted on: its region (else the hub's) and whose credentials. */
  async placeOf(target: AwsPlace): Promise<AwsClientPlace> {
    const region = target.region ?? this.settings.region;
    const { accountId } = target;
    if (accountId === undefined) return { region, hub: true };
    const { memberRoleName } = this.settings;
    if (!memberRoleName) {
      // One account only: without the member role, a target elsewhere cannot be reached.
      if (accountId === (await this.hubAccountIdOrUndefined())) {
        return { region, accountId, hub: true };
      }
      throw new ConnectorPermanentError(
        `The target is in AWS account ${accountId}, and MEMBER_ROLE_NAME is not set: deploy the member stack there and set MEMBER_ROLE_NAME and MEMBER_EXTERNAL_ID`,
      );
    }
    if (accountId === (await this.hubAccountId())) return { region, accountId, hub: true };
    return { region, accountId, hub: false, credentials: () => this.credentialsFor(accountId) };
  }

  /**
   * `build` once per account and region, with that place's credentials: the function given to
   * the connectors (`clientsFor(target)`).
   */
  clientsFor<T>(build: (place: AwsClientPlace) => T): (target: AwsPlace) => Promise<T> {
    return async (target) => {
      const place = await this.placeOf(target);
      const key = `${place.hub ? 'hub' : place.accountId}/${place.region}`;
      let clients = this.clients.get(key) as Promise<T> | undefined;
      if (!clients) {
        clients = Promise.resolve(build(place));
        this.clients.set(key, clients);
      }
      return clients;
    };
  }

  /** The member role's credentials in `accountId`, assumed again shortly before they expire. */
  credentialsFor(accountId: string): Promise<TemporaryCredentials> {
    const cached = this.sessions.get(accountId);
    if (cached) {
      return cached.then((credentials) =>
        credentials.expiration.getTime() - this.clock().getTime() > RENEW_BEFORE_MS
          ? credentials
          : this.assume(accountId),
      );
    }
    return this.assume(accountId);
  }

  private assume(accountId: string): Promise<TemporaryCredentials> {
    const roleArn = `arn:aws:iam::${accountId}:role/${this.settings.memberRoleName}`;
    const session = this.sts
      .send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: SESSION_NAME,
          ExternalId: this.settings.memberExternalId,
          DurationSeconds: SESSION_SECONDS,
        }),
      )
      .then((out) => {
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
          throw new ConnectorPermanentError(`STS answered no credentials for ${roleArn}`);
        }
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: new Date(c.Expiration),
        };
      })
      .catch((error: unknown) => {
        this.sessions.delete(accountId);
        throw connectorErrorOf(error, `assuming ${roleArn}`);
      });
    this.sessions.set(accountId, session);
    return session;
  }

  private async hubAccountIdOrUndefined(): Promise<string | undefined> {
    return this.hubAccountId().catch(() => undefined);
  }
}
