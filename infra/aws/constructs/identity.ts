// Who may sign in: a Cognito user pool whose groups are the roles of API.md. The API's authorizer
// puts a member's groups into the `cognito:groups` claim the handlers read.
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type Role } from '../../../functions/core/permissions.js';

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  GlobalAdmin: 'Reads everything; decides endpoint and e-mail actions',
  SecurityAdmin: 'Reads everything; decides endpoint actions (e-mail ones with SearchAndPurge)',
  SecurityOperator: 'Reads everything; decides nothing',
  SecurityReader: 'Reads everything; decides nothing',
  ActiveRemediationActions: 'Decides endpoint actions',
  SearchAndPurge: 'With SecurityAdmin: decides e-mail actions',
};

export interface IdentityProps {
  readonly removalPolicy: RemovalPolicy;
  readonly retainData: boolean;
  /** Plus tier with enforced threat protection (billed per monthly active user). */
  readonly threatProtection: boolean;
  /** The hosted sign-in domain's prefix (globally unique). */
  readonly domainPrefix: string;
}

export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly groups: CfnUserPoolGroup[];

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'Users', {
      // Operators are invited by an administrator (DEPLOY.md), never self-registered.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: false } },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: props.threatProtection ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(props.threatProtection && {
        standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      }),
      deletionProtection: props.retainData,
      removalPolicy: props.removalPolicy,
    });
    if (!props.threatProtection) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'The Plus tier (threat protection) is billed per monthly active user and is opt-in through the `threatProtection` context; MFA (TOTP) is required for every user and there is no self sign-up.',
      });
    }

    this.groups = ROLES.map(
      (role, precedence) =>
        new CfnUserPoolGroup(this, `Group${role}`, {
          userPoolId: this.userPool.userPoolId,
          groupName: role,
          description: ROLE_DESCRIPTIONS[role],
          precedence,
        }),
    );

    this.domain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
  }

  /** The web page's public client: authorization code with PKCE through the hosted sign-in. */
  addWebClient(origins: string[]): UserPoolClient {
    return this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: origins.map((o) => `${o}/`),
        logoutUrls: origins.map((o) => `${o}/`),
      },
    });
  }
}
