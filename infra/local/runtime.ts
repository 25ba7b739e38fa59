// The embedded runtime: the whole Action Center in one Node process. dynalite serves the DynamoDB
// API, the local engine runs statemachines/investigation.asl.json, and the unchanged Lambda entry
// modules (API, workflow tasks, ingest, reconciler, execution status) are loaded in-process as
// Lambda would load them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { approvalPoliciesOf } from '../../functions/adapters/cedar/index.js';
import { createConnectorRegistry } from '../../functions/adapters/connectors/index.js';
import { keys, QUEUE } from '../../functions/adapters/dynamodb/keys.js';
import { StepFunctionsWorkflow } from '../../functions/adapters/stepfunctions/workflow-gateway.js';
import { API_PATH_PREFIX, targetOf } from '../../functions/api/routes.js';
import { type Config, loadConfig } from '../../functions/config.js';
import { channelNamesOf } from '../../functions/core/notify-settings.js';
import { DEFENDER_POLLER, SERVICE_FUNCTIONS } from '../../functions/entries.js';
import { alertRules, DEFAULT_EVENT_BUS_NAME } from '../../functions/ingest/rule.js';
import { logger } from '../../functions/observability.js';
import type { IngestResult } from '../../functions/services/ingest.js';
import type { Overrides } from '../../functions/wiring.js';
import { localAuditSeal } from './audit-seal.js';
import { assertStrongSecret, claimsFromAuthorization, localJwtSecret, signToken } from './auth.js';
import { type LocalAwsCredentials, localAwsCredentials } from './aws-credentials.js';
import { inFlightLimit, investigationLoad, RETRY_AFTER_SECONDS } from './back-pressure.js';
import { callbackBurst } from './callback-burst.js';
import { preparePrivateDataDir, randomSecret, storedSecret, tightenTree } from './data-dir.js';
import { deadLetterStore } from './dead-letter-store.js';
import { DYNAMODB_TARGET_PREFIX, startLocalDynamoDB } from './dynamodb.js';
import { startInvestigationEngine } from './engine/index.js';
import { eventDelivery } from './event-delivery.js';
import { localEventPublisher } from './event-publisher.js';
import { eventQueue } from './event-queue.js';
import { ExecutionJournal } from './execution-journal.js';
import { ExecutionStatusEvents, type ExecutionStatusHandler } from './execution-status-events.js';
import { wireEntry, wireTaskHandlers } from './functions.js';
import { type ApiHandler, lambdaContext, matchRoute, proxyEvent } from './http/api-gateway.js';
import { DYNAMODB_PROTOCOL, STATES_PROTOCOL, signedBody } from './http/aws-protocol.js';
import { createEventBus } from './http/event-bus.js';
import { eventBusEndpoint } from './http/event-bus-endpoint.js';
import { refusalOf } from './http/request-guard.js';
import { signatureVerifier } from './http/sigv4.js';
import { SECURITY_HEADERS, serveStatic } from './http/static-files.js';
import {
  createStepFunctionsEndpoint,
  InProcessStepFunctions,
  type StepFunctionsEndpoint,
  TARGET_PREFIX,
  UNSIGNED,
} from './http/step-functions-endpoint.js';
import {
  newPendingActionIds,
  type OutboxTrigger,
  outboxTrigger,
  owesAudit,
} from './outbox-trigger.js';
import type { LocalSettings } from './settings.js';
import { StartupError } from './startup-error.js';
import { sweep } from './ttl-sweeper.js';

export { StartupError } from './startup-error.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const API_BODY_LIMIT = 1024 * 1024; // API Gateway takes up to 10 MB; the handlers answer 413 past 64 KiB
const DYNAMODB_BODY_LIMIT = 16 * 1024 * 1024; // a BatchWriteItem's 16 MB
/** The notifier's batching window, as its stream mapping's in AWS: an investigation's actions share one message. */
const NOTIFY_BATCH_WINDOW_MS = 2000;
/** The appender's batching window: 1 s in AWS (its stream's mapping), shorter here so the page's audit view keeps up. */
const AUDIT_BATCH_WINDOW_MS = 200;
/** Callbacks resume their workflows together (callback-burst.ts): after this long without one, */
const CALLBACK_QUIET_MS = 5;
/** or this long after their own at the latest. */
const CALLBACK_MAX_WAIT_MS = 1000;

export interface Runtime {
  url: string;
  /** The functions' configuration, pointed at this runtime's DynamoDB and Step Functions. */
  config: Config;
  /** A GlobalAdmin token, when the JWT secret was made for this process only (STORAGE=memory). */
  adminToken?: string;
  /** The AWS credentials its EventBridge, Step Functions and DynamoDB endpoints check signatures against. */
  awsCredentials: LocalAwsCredentials;
  /**
   * The functions' own document client (straight to dynalite, this process only): tests seed with
   * it, benches count its requests. Destroying it leaves the runtime's connections alone.
   */
  documentClient(): DynamoDBDocumentClient;
  /** The functions' own Step Functions client (to the engine in this process; benches time it). */
  stepFunctionsClient(): SFNClient;
  /** A bearer token this runtime accepts. */
  token(user: string, roles: readonly string[], hours?: number): Promise<string>;
  close(): Promise<void>;
}

/** What a network-bound runtime serves to anyone who can reach it. */
const EXPOSED =
  'the HTTP API, the Step Functions and EventBridge stand-ins (POST /api/events) and the page';

/**
 * An HMAC key (list cursors' CURSOR_SECRET, decision links' LINK_SECRET): the variable, else
 * generated once into DATA_DIR, else per process.
 */
function hmacKey(settings: LocalSettings, name: 'CURSOR_SECRET' | 'LINK_SECRET'): string {
  const given = settings.env[name];
  if (given) return assertStrongSecret(given, name);
  const file = name === 'CURSOR_SECRET' ? 'cursor-secret' : 'link-secret';
  return settings.dataDir ? storedSecret(settings.dataDir, file) : randomSecret();
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(
              `Port ${port} on ${host} is already in use: stop the other process or set PORT.`,
            )
          : error,
      );
    });
    server.listen(port, host, () => resolvePort((server.address() as AddressInfo).port));
  });
}

function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolveBody(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const errorBody = (code: string, message: string) => ({ error: { code, message } });

export async function startRuntime(settings: LocalSettings): Promise<Runtime> {
  if (settings.dataDir) preparePrivateDataDir(settings.dataDir);
  const storedJwtSecret = localJwtSecret(settings.dataDir, settings.env);
  const secret = storedJwtSecret ?? randomSecret();
  const cursorKey = hmacKey(settings, 'CURSOR_SECRET');
  const linkKey = hmacKey(settings, 'LINK_SECRET');
  const server = createServer();
  const port = await listen(server, settings.port, settings.host);
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;
  if (settings.remote) {
    logger.warn(
      `HOST=${settings.host} with ALLOW_REMOTE=true: ${EXPOSED} are reachable from the network`,
      {
        url,
      },
    );
  }
  const tableName = settings.env.TABLE_NAME || 'ActionCenter';
  const region = settings.env.AWS_REGION || 'us-east-1';
  const awsCredentials = localAwsCredentials(settings.dataDir);
  const verify = signatureVerifier({ credentials: awsCredentials, region });
  const load = investigationLoad(settings.maxRunningInvestigations ?? 32);
  const inFlight = inFlightLimit(settings.maxInFlightRequests ?? 64);

  let dynamo: Awaited<ReturnType<typeof startLocalDynamoDB>>;
  // Set once the reconciler and the notifier are wired; writes before that (none owe records or
  // make actions pending) kick nothing.
  const idle = { kick: () => Promise.resolve(), idle: () => Promise.resolve() };
  let appender: OutboxTrigger = idle;
  let notifier: OutboxTrigger<string> = idle;
  const onAccepted = (target: string, body: Buffer) => {
    if (owesAudit(target, body)) void appender.kick();
    const pending = newPendingActionIds(target, body);
    if (pending.length > 0) void notifier.kick(pending);
  };
  try {
    dynamo = await startLocalDynamoDB(tableName, settings.dataDir, onAccepted, (reason) => {
      // Nothing works without the table, and a runtime that answers 500 to everything hides why.
      logger.error('The local DynamoDB stopped: the runtime stops too', { reason });
      process.exit(1);
    });
  } catch (error) {
    server.close();
    throw new StartupError(
      `The local DynamoDB could not open ${settings.dataDir ?? 'memory'}: ${(error as Error).message}` +
        ' (is another Action Center running on the same DATA_DIR?)',
    );
  }
  // The DynamoDB front answers from now on (restored executions use the table before the rest is
  // ready); every other request waits until the runtime is whole.
  let ready: () => void = () => {};
  const whole = new Promise<void>((done) => {
    ready = done;
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const dispatch = async () => {
      const target = request.headers['x-amz-target'];
      if (typeof target === 'string' && target.startsWith(DYNAMODB_TARGET_PREFIX)) {
        await dynamoDbFront(request, response);
        return;
      }
      await whole;
      const admission = inFlight.enter(request);
      if (admission === 'refused') {
        request.resume();
        sendJson(
          response,
          429,
          errorBody('TooManyRequests', 'Too many requests at once: retry after a second'),
          { 'Retry-After': String(RETRY_AFTER_SECONDS) },
        );
        return;
      }
      try {
        await handle(request, response);
      } finally {
        if (admission === 'admitted') inFlight.leave();
      }
    };
    dispatch().catch((error: unknown) => {
      logger.error('Local runtime request failed', {
        path: request.url,
        error: (error as Error).message,
      });
      if (!response.headersSent)
        sendJson(response, 500, errorBody('InternalError', 'Internal error'));
      else response.end();
    });
  });
  /** dynalite behind a Signature Version 4 check: the table takes nothing unsigned. */
  async function dynamoDbFront(request: IncomingMessage, response: ServerResponse) {
    const requestUrl = new URL(request.url ?? '/', url);
    const body = await signedBody(request, response, requestUrl, {
      protocol: DYNAMODB_PROTOCOL,
      verify,
      limit: DYNAMODB_BODY_LIMIT,
    });
    if (body === undefined) return;
    await dynamo.forward(
      { method: request.method ?? 'POST', path: request.url ?? '/', headers: request.headers },
      body,
      response,
    );
  }
  // LevelDB creates its files itself, with no mode option: narrow what it made under a wide umask.
  if (settings.dataDir) tightenTree(settings.dataDir);
  // What the Lambda functions read from their environment in AWS, pointed at this runtime.
  const configFor = (stateMachineArn?: string) =>
    loadConfig({
      ...settings.env,
      TABLE_NAME: tableName,
      AWS_REGION: region,
      DYNAMODB_ENDPOINT: url,
      STEPFUNCTIONS_ENDPOINT: url,
      CURSOR_SECRET: cursorKey,
      LINK_SECRET: linkKey,
      // Links point at this page unless the operator reaches it under another address.
      PUBLIC_URL: settings.env.PUBLIC_URL || url,
      ...(stateMachineArn && { STATE_MACHINE_ARN: stateMachineArn }),
    });
  const taskConfig = configFor();
  // The functions reach dynalite over its socket: the front's signature check is for other processes.
  const doc = dynamo.documentClient();
  // And the engine in this process: the endpoint's signature check is for other processes too.
  let engineEndpoint: StepFunctionsEndpoint | undefined;
  const sfn = new SFNClient({
    region,
    endpoint: url,
    credentials: awsCredentials,
    signer: UNSIGNED,
    requestHandler: new InProcessStepFunctions(() => {
      if (!engineEndpoint) throw new Error('The local Step Functions engine is not started yet');
      return engineEndpoint;
    }),
  });
  const overrides: Overrides = {
    doc,
    workflow: new StepFunctionsWorkflow(sfn),
    // Built on the signing document client: a registry of its own would sign with no credentials.
    connectors: createConnectorRegistry(taskConfig, { doc }),
    ...localAuditSeal(settings.dataDir, settings.env),
  };

  const taskHandlers = Object.fromEntries(
    Object.entries(await wireTaskHandlers(taskConfig, overrides)).map(([id, handler]) => [
      id,
      load.counted(handler),
    ]),
  ) as Awaited<ReturnType<typeof wireTaskHandlers>>;
  const journal = settings.dataDir ? new ExecutionJournal(settings.dataDir) : undefined;
  let closing = false;
  let statusEvents: ExecutionStatusEvents | undefined;
  const { engine, stateMachineArn } = await startInvestigationEngine({
    handlers: taskHandlers,
    resumeWhen: callbackBurst({ quietMs: CALLBACK_QUIET_MS, maxMs: CALLBACK_MAX_WAIT_MS }),
    region: taskConfig.region,
    ...(settings.dataDir && { tokenSecret: storedSecret(settings.dataDir, 'task-token-key') }),
    onExecutionChange: (record) => {
      // A shutdown aborts what is running only to stop it: the journal keeps those executions
      // RUNNING, so the next start replays them, and no status event ends their investigations.
      if (closing) return;
      journal?.record(record);
      statusEvents?.onExecutionChange(record);
    },
  });
  const config = configFor(stateMachineArn);
  // The API functions load the approval policies on first use: a bad APPROVAL_POLICY_FILE stops
  // the runtime here instead, naming the policy and its line (CDK's synth does the same in AWS).
  approvalPoliciesOf(config.approvalPolicyFile);
  // In place before any execution is restored: one may end at once.
  statusEvents = new ExecutionStatusEvents({
    stateMachineArn,
    handler: await wireEntry<ExecutionStatusHandler>(
      SERVICE_FUNCTIONS.executionStatus,
      config,
      overrides,
    ),
  });

  const restored = journal?.load() ?? [];
  for (const record of restored) await engine.restoreExecution(record);
  const resumed = restored.filter((r) => r.status === 'RUNNING').length;
  if (resumed > 0) logger.info('Resumed investigations after a restart', { resumed });

  const api: Record<'read' | 'decide', ApiHandler> = {
    read: await wireEntry<ApiHandler>(SERVICE_FUNCTIONS.read, config, overrides),
    decide: await wireEntry<ApiHandler>(SERVICE_FUNCTIONS.decide, config, overrides),
  };
  const ingest = await wireEntry<(e: EventBridgeEvent<string, unknown>) => Promise<IngestResult>>(
    SERVICE_FUNCTIONS.ingest,
    config,
    overrides,
  );
  const reconcile = await wireEntry<(event?: unknown) => Promise<unknown>>(
    SERVICE_FUNCTIONS.reconcile,
    config,
    overrides,
  );
  const deadLetters = deadLetterStore(settings.dataDir);
  const delivery = eventDelivery({
    target: ingest,
    deadLetters,
    queue: load.counting(eventQueue(settings.dataDir)),
    delayMs: settings.eventDeliveryDelayMs,
  });
  // Before the bus takes a request: compacting the queue drops a line a kill cut short.
  const requeued = delivery.resume();
  if (requeued > 0) logger.info('Delivering events accepted before a restart', { requeued });
  const busName = settings.eventBusName ?? DEFAULT_EVENT_BUS_NAME;
  const bus = createEventBus({
    rules: alertRules(config.sources),
    busName,
    region: config.region,
    deliver: delivery.send,
    admits: load.admits,
  });
  const eventBusRoutes = eventBusEndpoint({
    bus,
    delivery,
    deadLetters,
    jwtSecret: secret,
    verify,
  });
  const stepFunctions = createStepFunctionsEndpoint(engine);
  engineEndpoint = stepFunctions;
  const webRoot = join(ROOT, 'web', 'dist');

  async function handleApi(request: IncomingMessage, response: ServerResponse, requestUrl: URL) {
    const path = requestUrl.pathname.slice(API_PATH_PREFIX.length) || '/';
    const method = request.method ?? 'GET';
    const match = matchRoute(method, path);
    if (!match) {
      sendJson(response, 404, errorBody('NotFound', `No route for ${method} ${path}`));
      return;
    }
    const body = await readBody(request, API_BODY_LIMIT);
    if (body === undefined) {
      sendJson(
        response,
        413,
        errorBody('PayloadTooLarge', 'The request body is larger than 64 KiB'),
      );
      return;
    }
    const claims = await claimsFromAuthorization(secret, request.headers.authorization);
    const event = proxyEvent({
      request,
      url: requestUrl,
      path,
      resource: match.route.path,
      pathParameters: match.pathParameters,
      body: body === '' ? null : body,
      claims,
    });
    const target = targetOf(match.route);
    const result = await api[target](event, lambdaContext(`action-center-api-${target}`));
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
    for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v.map(String);
    response.writeHead(result.statusCode, headers);
    response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const requestUrl = new URL(request.url ?? '/', url);
    const target = request.headers['x-amz-target'];
    const refusal = refusalOf(request, { host: settings.host, port });
    if (refusal) {
      logger.warn('Refused a state-changing request', { path: requestUrl.pathname, refusal });
      request.resume();
      sendJson(response, 403, errorBody('Forbidden', refusal));
      return;
    }
    if (
      request.method === 'POST' &&
      typeof target === 'string' &&
      target.startsWith(TARGET_PREFIX)
    ) {
      const body = await signedBody(request, response, requestUrl, {
        protocol: STATES_PROTOCOL,
        verify,
        limit: API_BODY_LIMIT,
      });
      if (body === undefined) return;
      const out = await stepFunctions(target, body.toString('utf8'));
      sendJson(response, out.status, out.body, { 'Content-Type': 'application/x-amz-json-1.0' });
      return;
    }
    // The EventBridge stand-in and its dead letters (event-bus-endpoint.ts).
    if (await eventBusRoutes(request, response, requestUrl)) return;
    if (
      requestUrl.pathname === API_PATH_PREFIX ||
      requestUrl.pathname.startsWith(`${API_PATH_PREFIX}/`)
    ) {
      await handleApi(request, response, requestUrl);
      return;
    }
    if (requestUrl.pathname === '/config.json') {
      sendJson(
        response,
        200,
        { apiBase: API_PATH_PREFIX, auth: { mode: 'local' } },
        SECURITY_HEADERS,
      );
      return;
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      serveStatic(webRoot, requestUrl.pathname, response);
      return;
    }
    sendJson(response, 405, errorBody('MethodNotAllowed', `${request.method} is not allowed here`));
  }

  const every = (
    seconds: number,
    name: string,
    job: () => Promise<unknown>,
    options: { now?: boolean } = {},
  ) => {
    let running = false;
    const run = () => {
      if (running) return;
      running = true;
      job()
        .catch((error: unknown) =>
          logger.error(`${name} failed`, { error: (error as Error).message }),
        )
        .finally(() => {
          running = false;
        });
    };
    const timer = setInterval(run, seconds * 1000);
    timer.unref();
    if (options.now) setImmediate(run);
    return timer;
  };
  // The table's writes that owe audit records run the appender, as its stream does in AWS; one
  // run at start takes what a previous process left owed.
  appender = outboxTrigger(() => reconcile({ Records: [] }), {
    windowMs: AUDIT_BATCH_WINDOW_MS,
  });
  void appender.kick();
  // New pending actions run the notifier, as the table's stream does in AWS, a few seconds after
  // the first so that an investigation's actions share one message.
  const notify = await wireEntry<(event: { Records?: unknown[] }) => Promise<unknown>>(
    SERVICE_FUNCTIONS.notify,
    config,
    overrides,
  );
  const channels = channelNamesOf(config.notify);
  logger.info(
    channels.length > 0
      ? `Notifications of pending actions go to: ${channels.join(', ')}`
      : 'No notification channel is configured (NOTIFY_WEBHOOK_URL, SLACK_WEBHOOK_URL, TEAMS_WEBHOOK_URL, NOTIFY_TOPIC_ARN): none is sent',
  );
  if (channels.length > 0) {
    notifier = outboxTrigger<string>(
      (ids) =>
        notify({
          Records: ids.map((id) => ({
            eventName: 'INSERT',
            dynamodb: {
              NewImage: { sk: { S: `${keys.actionPrefix}${id}` }, queuePk: { S: QUEUE.pending } },
            },
          })),
        }),
      { windowMs: NOTIFY_BATCH_WINDOW_MS, name: 'Notifier' },
    );
  }
  const timers = [
    every(settings.ttlSweepSeconds, 'TTL sweep', () => sweep(doc, config.tableName, new Date())),
    every(settings.reconcileSeconds, 'Reconcile', () => reconcile()),
    // Reminders and escalations, as the notifier's schedule runs them in AWS (with no channel,
    // a run sends nothing).
    every(settings.reconcileSeconds, 'Reminders', () => notify({})),
  ];
  // The Defender alert poller, as EventBridge Scheduler runs it in AWS, publishing to this bus.
  const pollSeconds = config.defender?.pollSeconds ?? 0;
  if (pollSeconds > 0) {
    const poll = await wireEntry<() => Promise<unknown>>(DEFENDER_POLLER, config, {
      ...overrides,
      eventPublisher: localEventPublisher(bus, busName),
    });
    timers.push(every(pollSeconds, 'Defender alert poll', poll, { now: true }));
  }

  ready();
  return {
    url,
    config,
    awsCredentials,
    documentClient: () => doc,
    stepFunctionsClient: () => sfn,
    adminToken: storedJwtSecret
      ? undefined
      : await signToken(secret, 'admin@localhost', ['GlobalAdmin']),
    token: (user, roles, hours) => signToken(secret, user, roles, hours),
    async close() {
      for (const timer of timers) clearInterval(timer);
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      closing = true;
      await delivery.close();
      await appender.idle();
      await notifier.idle();
      await statusEvents?.close();
      await engine.shutdown();
      doc.destroy();
      sfn.destroy();
      await dynamo.close();
    },
  };
}
