// The REST API of docs/openapi.json: a Cognito authorizer on every route but the document itself
// and the webhook receivers' signed callbacks, request bodies and parameters validated at the edge
// with models made from the same zod schemas, access logs, throttling, CORS for the web page's
// origin, and errors in the contract's JSON shape even when API Gateway answers before a function
// runs.
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
import {
  API_ROUTES,
  API_STAGE,
  type ApiRoute,
  routeKeyOf,
  targetOf,
} from '../../../functions/api/routes.js';
import { BODY_MODELS, type BodyModel, ROUTE_SCHEMAS } from '../../../functions/api/schemas.js';

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

/** A 400 made at the edge, shaped as the handlers' (`details.fields` names what was wrong). */
const EDGE_VALIDATION_DETAILS = {
  body: { fields: { body: 'does not match the schema of this route' } },
  parameters: { fields: { parameters: 'a required request parameter is missing' } },
};

/** Gateway-made errors in the contract's shape: `{"error":{"code","message","details"}}`. */
const GATEWAY_ERRORS: {
  type: ResponseType;
  status: string;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}[] = [
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
    message: 'Invalid request body',
    details: EDGE_VALIDATION_DETAILS.body,
  },
  {
    type: ResponseType.BAD_REQUEST_PARAMETERS,
    status: '400',
    code: 'ValidationFailed',
    message: 'Invalid request parameters',
    details: EDGE_VALIDATION_DETAILS.parameters,
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

/** Why each route without the Cognito authorizer may go without it (cdk-nag APIG4 and COG4). */
const PUBLIC_ROUTE_REASONS: Record<string, { apig4: string; cog4: string }> = {
  'GET /openapi.json': {
    apig4:
      "The API's OpenAPI document is public by design (issue 12): it holds the contract, no data; the read function answers it without reading the table.",
    cog4: 'The public OpenAPI document needs no Cognito token; every other method has the authorizer.',
  },
  'POST /connectors/webhook/callbacks': {
    apig4:
      "Webhook receivers (EDR, mail systems) have no Cognito user: the decide function authenticates each callback by its HMAC-SHA256 signature with the webhook's shared secret and refuses stale timestamps (issue 13).",
    cog4: 'Receivers call back signed with the webhook secret, not with a Cognito token; every operator method has the authorizer.',
  },
};

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
      description: 'Action Center HTTP API (docs/openapi.json, v1)',
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

  /** The routes of the contract, GET to `read` and POST to `decide`, plus CORS and gateway errors. */
  addRoutes(props: ApiRoutesProps): Method[] {
    const integrations = {
      read: new LambdaIntegration(props.read, { allowTestInvoke: false }),
      decide: new LambdaIntegration(props.decide, { allowTestInvoke: false }),
    };
    const models = Object.fromEntries(
      Object.entries(BODY_MODELS).map(([name, schema]) => [name, this.bodyModel(name, schema)]),
    ) as Record<BodyModel, IModel>;

    const methods = API_ROUTES.map((route: ApiRoute) => {
      const resource = this.restApi.root.resourceForPath(route.path);
      const method = resource.addMethod(route.method, integrations[targetOf(route)], {
        ...(route.public
          ? { authorizationType: AuthorizationType.NONE }
          : { authorizer: this.authorizer, authorizationType: AuthorizationType.COGNITO }),
        requestValidator: this.validator,
        requestParameters: requestParametersOf(route),
        ...(route.bodyModel && { requestModels: { 'application/json': models[route.bodyModel] } }),
      });
      if (route.public) {
        const why = PUBLIC_ROUTE_REASONS[routeKeyOf(route)];
        if (!why) throw new Error(`Public route ${routeKeyOf(route)} needs its reasons here`);
        Validations.of(method).acknowledge(
          { id: 'AwsSolutions-APIG4', reason: why.apig4 },
          { id: 'AwsSolutions-COG4', reason: why.cog4 },
        );
      }
      return method;
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
              details: { ...error.details, requestId: '$context.requestId' },
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

  /** API Gateway models are JSON Schema draft-4: zod writes that target from the same schema. */
  private bodyModel(name: string, schema: z.ZodType): IModel {
    const jsonSchema = z.toJSONSchema(schema, { target: 'draft-4', io: 'input' });
    const { $schema: _version, ...rest } = jsonSchema as Record<string, unknown>;
    return this.restApi.addModel(`${name}Model`, {
      contentType: 'application/json',
      modelName: name,
      schema: { schema: JsonSchemaVersion.DRAFT4, ...rest },
    });
  }
}

/**
 * Path parameters are required (API Gateway refuses a request without one); query parameters,
 * from the route's query schema, are declared optional: their values are checked by the handler.
 */
function requestParametersOf(route: ApiRoute): Record<string, boolean> {
  const path = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [
    `method.request.path.${m[1]}`,
    true,
  ]);
  const query = Object.keys(ROUTE_SCHEMAS[routeKeyOf(route)].query.shape).map((name) => [
    `method.request.querystring.${name}`,
    false,
  ]);
  return Object.fromEntries([...path, ...query]);
}
