// The Action Center page: a private S3 bucket behind CloudFront (origin access control), strict
// security headers, and the API under `/api` on the same origin, as the local runtime serves it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  Aws,
  DefaultStackSynthesizer,
  Duration,
  type RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { API_PATH_PREFIX, API_STAGE } from '../../../functions/api/routes.js';
import { nagAssetsBucketObjects } from '../nag.js';
import { REPO_ROOT } from '../paths.js';

export interface WebProps {
  readonly api: RestApi;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetentionDays: number;
  /** The hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`), for the CSP. */
  readonly authDomain: string;
}

export interface WebContentProps {
  /** The built page's directory, repository-relative (e.g. `web/dist`). */
  readonly dist: string;
  /** Written as `/config.json` next to the page (web/src/config.ts `HostConfig`). */
  readonly config: HostConfig;
}

/** What web/src/config.ts reads from `/config.json`: where the API is and how to sign in. */
export interface HostConfig {
  readonly apiBase: string;
  readonly auth: {
    readonly mode: 'cognito';
    readonly domain: string;
    readonly clientId: string;
    readonly redirectUri: string;
    readonly scopes: string[];
  };
}

export class Web extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly securityHeaders: ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);

    this.logBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: props.removalPolicy,
    });

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site/',
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: props.removalPolicy,
    });

    // The local runtime's policy (infra/local/http/static-files.ts) plus the hosted sign-in,
    // whose /oauth2/token endpoint the page calls.
    const cognitoApi = `https://cognito-idp.${Aws.REGION}.amazonaws.com`;
    const signIn = `https://${props.authDomain}`;
    this.securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Action Center: security headers for the page and the API',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            `connect-src 'self' ${cognitoApi} ${signIn}`,
            `form-action 'self' ${signIn}`,
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
        ],
      },
      removeHeaders: ['Server'],
    });

    // `/api/me` on the page's origin is `/me` on the API stage, as `/api` is locally.
    const stripApiPrefix = new CloudFrontFunction(this, 'ApiPath', {
      comment: 'Action Center: /api/* on the page origin to the API stage',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        [
          'function handler(event) {',
          '  var request = event.request;',
          `  request.uri = request.uri.substring(${API_PATH_PREFIX.length}) || '/';`,
          '  return request;',
          '}',
        ].join('\n'),
      ),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Action Center',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders,
        compress: true,
      },
      additionalBehaviors: {
        [`${API_PATH_PREFIX}/*`]: {
          origin: new HttpOrigin(
            `${props.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`,
            { originPath: `/${API_STAGE}`, protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY },
          ),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Nothing cached; with caching off CloudFront forwards the Authorization header.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.securityHeaders,
          functionAssociations: [
            { function: stripApiPrefix, eventType: FunctionEventType.VIEWER_REQUEST },
          ],
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Operators sign in from wherever they are on call; access is decided by Cognito (MFA required), not geography.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves a static page and forwards /api to a stage that requires a Cognito token and is throttled; a WAF web ACL (at least $5 a month) can be attached through `apiWebAclArn` on the API.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate does not let a distribution choose its minimum TLS version (CloudFront fixes it); choosing TLSv1.2_2021 needs a custom domain and its ACM certificate, which this stack does not assume.',
      },
    );
  }

  /** The page's origin, e.g. `https://d111111abcdef8.cloudfront.net`. */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /** Uploads the built page and `/config.json` when the page has been built; no-op otherwise. */
  deployContent(props: WebContentProps): BucketDeployment | undefined {
    const dist = resolve(REPO_ROOT, props.dist);
    if (!existsSync(dist)) return undefined;
    const deployment = new BucketDeployment(this, 'Content', {
      destinationBucket: this.bucket,
      sources: [Source.asset(dist), Source.jsonData('config.json', props.config)],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    acknowledgeDeploymentHandler(this, deployment, this.bucket);
    return deployment;
  }
}

/** The findings on CDK's own BucketDeployment handler (a stack-level singleton), with reasons. */
function acknowledgeDeploymentHandler(
  scope: Construct,
  deployment: BucketDeployment,
  bucket: Bucket,
): void {
  const stack = Stack.of(scope);
  const bucketArn = stack.resolve(bucket.bucketArn) as { 'Fn::GetAtt': [string, string] };
  const assets = nagAssetsBucketObjects(scope, DefaultStackSynthesizer.DEFAULT_QUALIFIER);
  const why =
    "CDK's BucketDeployment handler copies the page from the CDK assets bucket into the page bucket (sync with delete) and invalidates the distribution: the grants are CDK's own, scoped to those two buckets;";
  Validations.of(deployment.handlerRole).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `${why} the managed policy only lets it write its own logs.`,
    },
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
      (action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${why} ${action} is part of CDK's read/write grant on those buckets.`,
      }),
    ),
    {
      id: `AwsSolutions-IAM5[Resource::<${bucketArn['Fn::GetAtt'][0]}.Arn>/*]`,
      reason: `${why} it writes every object of the page bucket.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::${assets}]`,
      reason: `${why} it reads the page's zip from the CDK assets bucket.`,
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${why} cloudfront:CreateInvalidation and GetInvalidation are granted on "*" by CDK.`,
    },
  );
  const handler = stack.node.children.find((c) =>
    c.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (handler) {
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "CDK's BucketDeployment handler (Python, runs the AWS CLI at deploy time only) pins its runtime; it is not ours to choose.",
    });
  }
}
