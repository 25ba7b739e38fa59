// The REST API of API.md: a Cognito authorizer on every route, request validation, access logs,
// throttling, CORS for the web page's origin, and errors in the contract's JSON shape even when
// API Gateway answers before a function runs.
import { Aws, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  Cors,
  EndpointType,
  type IModel,
  JsonSchemaVersion,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  type RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import * as z from 'zod';
import { API_ROUTES, API_STAGE, type ApiRoute, targetOf } from '../../../functions/api/routes.js';
import { BulkDecisionBody } from '../../../functions/api/schemas.js';

export interface ApiProps {
  readonly userPool: IUserPool;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly throttle: { readonly ratePerSecond: number; readonly burst: number };
  /** A WAFv2 web ACL (REGIONAL) to put in front of the stage. */
  readonly webAclArn?: string;
}

export interface ApiRoutesProps {
  readonly read: IFunction;
  readonly decide: IFunction;
  /** Origins allowed by CORS; the first one is the web page's (CloudFront). */
  readonly origins: string[];
}

/** Gateway-made errors in the contract's shape: `{"error":{"code","message"}}`. */
const GATEWAY_ERRORS: { type: ResponseType; status: string; code: string; message: string }[] = [
  {
    type: ResponseType.UNAUTHORIZED,
    status: '401',
    code: 'Unauthorized',
    message: 'A valid bearer token is required',
  },
  {
    type: ResponseType.ACCESS_DENIED,
    status: '403',
    code: 'Forbidden',
    message: 'Not allowed',
  },
  {
    type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
    status: '404',
    code: 'NotFound',
    message: 'No such route',
  },
  {
    type: ResponseType.BAD_REQUEST_BODY,
    status: '400',
    code: 'ValidationFailed',
    message: 'The request body does not match this route',
  },
  {
    type: ResponseType.BAD_REQUEST_PARAMETERS,
    status: '400',
    code: 'ValidationFailed',
    message: 'A required request parameter is missing',
  },
  {
    type: ResponseType.REQUEST_TOO_LARGE,
    status: '413',
    code: 'PayloadTooLarge',
    message: 'The request body is too large',
  },
  {
    type: ResponseType.UNSUPPORTED_MEDIA_TYPE,
    status: '415',
    code: 'UnsupportedMediaType',
    message: 'The request body must be JSON (application/json)',
  },
  {
    type: ResponseType.THROTTLED,
    status: '429',
    code: 'Throttled',
    message: 'Too many requests; retry later',
  },
  {
    type: ResponseType.DEFAULT_4XX,
    status: '400',
    code: 'BadRequest',
    message: 'The request was not accepted',
  },
  {
    type: ResponseType.DEFAULT_5XX,
    status: '500',
    code: 'InternalError',
    message: 'Something went wrong; the request id is in the logs',
  },
];

export class Api extends Construct {
  readonly restApi: RestApi;
  readonly accessLogs: LogGroup;
  private readonly authorizer: CognitoUserPoolsAuthorizer;
  private readonly validator: RequestValidator;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.restApi = new RestApi(this, 'Api', {
      // Named per stack: the 5xx alarm's metric is keyed by the API's name.
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'Action Center HTTP API (API.md, v1)',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: props.removalPolicy,
      deployOptions: {
        stageName: API_STAGE,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        tracingEnabled: true,
        // Errors only, and never request or response bodies (they carry comments and claims).
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: false,
        throttlingRateLimit: props.throttle.ratePerSecond,
        throttlingBurstLimit: props.throttle.burst,
      },
    });
    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: 'method.request.header.Authorization',
      resultsCacheTtl: Duration.minutes(5),
    });
    this.validator = this.restApi.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const cloudWatchRole = this.restApi.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "API Gateway's account-level logging role: the AWS managed policy is the documented one for it, and it is needed for the stage's execution (error) logs.",
      });
    }

    if (props.webAclArn) {
      new CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: `arn:${Aws.PARTITION}:apigateway:${Stack.of(this).region}::/restapis/${this.restApi.restApiId}/stages/${API_STAGE}`,
        webAclArn: props.webAclArn,
      });
    } else {
      Validations.of(this.restApi).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'A web ACL costs at least $5 a month; every method needs a Cognito token (MFA required) and the stage is throttled. Pass `apiWebAclArn` to associate an existing WAFv2 web ACL.',
      });
    }
  }

  /** The routes of API.md, GET to `read` and POST to `decide`, plus CORS and gateway errors. */
  addRoutes(props: ApiRoutesProps): Method[] {
    const integrations = {
      read: new LambdaIntegration(props.read, { allowTestInvoke: false }),
      decide: new LambdaIntegration(props.decide, { allowTestInvoke: false }),
    };
    const models = { BulkDecision: this.bodyModel('BulkDecision', BulkDecisionBody) };

    const methods = API_ROUTES.map((route: ApiRoute) => {
      const resource = this.restApi.root.resourceForPath(route.path);
      return resource.addMethod(route.method, integrations[targetOf(route)], {
        authorizer: this.authorizer,
        authorizationType: AuthorizationType.COGNITO,
        requestValidator: this.validator,
        requestParameters: Object.fromEntries(
          [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [`method.request.path.${m[1]}`, true]),
        ),
        ...(route.bodyModel && { requestModels: { 'application/json': models[route.bodyModel] } }),
      });
    });

    this.addCors(props.origins);
    const [primaryOrigin] = props.origins;
    for (const error of GATEWAY_ERRORS) {
      this.restApi.addGatewayResponse(`Error${error.type.responseType}`, {
        type: error.type,
        statusCode: error.status,
        responseHeaders: {
          'Access-Control-Allow-Origin': `'${primaryOrigin}'`,
          'Cache-Control': "'no-store'",
        },
        templates: {
          'application/json': JSON.stringify({
            error: {
              code: error.code,
              message: error.message,
              details: { requestId: '$context.requestId' },
            },
          }),
        },
      });
    }
    return methods;
  }

  /** CORS preflights: browsers send them without a token; a mock integration answers them. */
  private addCors(origins: string[]): void {
    const resources = new Set(
      API_ROUTES.map((route) => this.restApi.root.resourceForPath(route.path)),
    );
    for (const resource of resources) {
      resource.addCorsPreflight({
        allowOrigins: origins,
        allowMethods: Cors.ALL_METHODS,
        allowHeaders: ['Authorization', 'Content-Type'],
        maxAge: Duration.hours(1),
      });
    }
  }

  private bodyModel(name: string, schema: z.ZodType): IModel {
    const jsonSchema = z.toJSONSchema(schema, { target: 'draft-4', io: 'input' });
    const { $schema: _version, ...rest } = jsonSchema as Record<string, unknown>;
    return this.restApi.addModel(`${name}Model`, {
      contentType: 'application/json',
      modelName: `${name}Body`,
      schema: { schema: JsonSchemaVersion.DRAFT4, ...rest },
    });
  }
}
