// The routes of the connector routing (CONNECTORS / CONNECTORS_FILE): builds only the connectors
// the routing names, once per cold start. A type with no connector gets one that fails its
// actions with the reason: an action never "succeeds" without a connector doing it.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Config, required } from '../../config.js';
import {
  type ConnectorName,
  type ConnectorSettings,
  resolveConnector,
} from '../../core/connector-settings.js';
import type { DomainHoldStore } from '../../core/domain-holds.js';
import { ACTION_TYPES, type Action, CATEGORIES } from '../../core/model.js';
import type { Connector, ConnectorOutcome, RemediationProgress } from '../../core/ports.js';
import type { RemediationReportStore } from '../../core/remediation-reports.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';
import { logger } from '../../observability.js';
import type { MicrosoftApi } from '../microsoft/index.js';
import type { AwsClientsFor } from './aws.js';
import type { LiveResponsePacing } from './defender-live-response.js';
import type { SsmClientsFor } from './ssm.js';
import { WebhookConnector } from './webhook.js';

const UNCONFIGURED_CONNECTOR = 'none';

/** Stands in where no connector is configured: every call fails for good, saying why. */
class UnconfiguredConnector implements Connector {
  readonly name = UNCONFIGURED_CONNECTOR;
  /** Nothing ever runs: every call fails at once. */
  readonly timeoutSeconds = 60;

  /** `switchedOff`: the routing names "none" for the type; otherwise it names nothing. */
  constructor(private readonly switchedOff = false) {}

  submit(action: Action): Promise<RemediationProgress> {
    return Promise.reject(this.refusal(action));
  }

  status(action: Action): Promise<RemediationProgress> {
    return Promise.reject(this.refusal(action));
  }

  undo(action: Action): Promise<ConnectorOutcome> {
    return Promise.reject(this.refusal(action));
  }

  private refusal(action: Action): ConnectorPermanentError {
    const what = `${action.type} (${action.category})`;
    return new ConnectorPermanentError(
      this.switchedOff
        ? `Connectors are switched off for ${what}: CONNECTORS routes it to "none"`
        : `No connector is configured for ${what}: route it in CONNECTORS (by type, by category or as "default")`,
    );
  }
}

export interface ConfiguredConnectorOverrides {
  /** The aws connector's clients per account and region (tests point them at an emulator). */
  aws?: AwsClientsFor;
  /** The Microsoft client of the defender connector (tests); made from config.defender when absent. */
  microsoft?: MicrosoftApi;
  /** The ssm connector's clients per target account and region (cross-account roles). */
  ssm?: SsmClientsFor;
  secretsManager?: SecretsManagerClient;
}

/** What the configured connectors share with the rest of the function. */
export interface ConfiguredConnectorPorts {
  /** The built-in connector, for routes that name it. */
  builtin: Connector;
  /** The receivers' callbacks, read by the webhook connector's `status`. */
  reports: Pick<RemediationReportStore, 'get'>;
  /** Who holds each domain the aws connector blocked. */
  domainHolds: DomainHoldStore;
  /** Defender live response's limits, paced across invocations through the table. */
  liveResponsePacing: LiveResponsePacing;
}

interface ConfiguredRoute {
  type?: Action['type'];
  category?: Action['category'];
  connector: Connector;
}

/** The routes and the fallback (`default`) for `routeConnectors`, from the connector settings. */
export function configuredRoutes(
  settings: ConnectorSettings,
  config: Pick<Config, 'region' | 'defender'>,
  ports: ConfiguredConnectorPorts,
  overrides: ConfiguredConnectorOverrides = {},
): { routes: ConfiguredRoute[]; fallback: Connector } {
  const { routing } = settings;
  const built = new Map<ConnectorName | undefined, Connector>();
  const connectorNamed = (name: ConnectorName | undefined): Connector => {
    let connector = built.get(name);
    if (!connector) {
      connector = build(name, settings, config, ports, overrides);
      built.set(name, connector);
    }
    return connector;
  };
  const routes: ConfiguredRoute[] = [
    ...ACTION_TYPES.filter((type) => routing.types[type] !== undefined).map((type) => ({
      type,
      connector: connectorNamed(routing.types[type]),
    })),
    ...CATEGORIES.filter((category) => routing[category] !== undefined).map((category) => ({
      category,
      connector: connectorNamed(routing[category]),
    })),
  ];
  logger.info('Connectors configured', {
    routes: Object.fromEntries(
      ACTION_TYPES.map((t) => [t, resolveConnector(routing, t).name ?? 'unconfigured']),
    ),
  });
  return { routes, fallback: connectorNamed(routing.default) };
}

function build(
  name: ConnectorName | undefined,
  settings: ConnectorSettings,
  config: Pick<Config, 'region' | 'defender'>,
  ports: ConfiguredConnectorPorts,
  overrides: ConfiguredConnectorOverrides,
): Connector {
  switch (name) {
    case 'builtin':
      return ports.builtin;
    case 'aws':
      return lazyConnector('aws', settings.aws.timeoutSeconds, async () => {
        const { AwsConnector, createAwsAccounts, createAwsConnectorClients } = await import(
          './aws.js'
        );
        const clientsFor =
          overrides.aws ?? createAwsConnectorClients(createAwsAccounts(config, settings.aws));
        return new AwsConnector({ clientsFor, holds: ports.domainHolds }, settings.aws);
      });
    case 'ssm':
      return lazyConnector('ssm', settings.ssm.timeoutSeconds, async () => {
        const { SsmConnector, crossAccountSsmClients } = await import('./ssm.js');
        const { createAwsAccounts } = await import('./aws.js');
        const clientsFor =
          overrides.ssm ?? crossAccountSsmClients(createAwsAccounts(config, settings.aws));
        return new SsmConnector(clientsFor, settings.ssm);
      });
    case 'webhook': {
      // connectorSettingsFrom guarantees the URL and one kind of secret when webhook is routed.
      const { url, timeoutMs, resultTimeoutSeconds } = settings.webhook;
      return new WebhookConnector({
        url: url as string,
        secret: webhookSecretOf(settings, config, overrides) as () => Promise<string>,
        timeoutMs,
        resultTimeoutSeconds,
        reports: ports.reports,
      });
    }
    case 'defender':
      return defenderConnector(settings, config, ports, overrides);
    case 'none':
      return new UnconfiguredConnector(true);
    case undefined:
      return new UnconfiguredConnector(false);
  }
}

/** The defender connector, loaded on first use; the config check guarantees config.defender. */
function defenderConnector(
  settings: ConnectorSettings,
  config: Pick<Config, 'region' | 'defender'>,
  ports: ConfiguredConnectorPorts,
  overrides: ConfiguredConnectorOverrides,
): Connector {
  const { timeoutSeconds, liveResponseScript } = settings.defender;
  return lazyConnector('defender', timeoutSeconds, async () => {
    const [{ DefenderConnector }, { createMicrosoftApi }] = await Promise.all([
      import('./defender.js'),
      import('../microsoft/index.js'),
    ]);
    const defender = required(config.defender, 'DEFENDER_TENANT_ID');
    return new DefenderConnector({
      api: overrides.microsoft ?? createMicrosoftApi(defender, config.region),
      pacing: ports.liveResponsePacing,
      liveResponseScript,
      timeoutSeconds,
    });
  });
}

/**
 * The webhook's signing secret as configured: the value itself, or read from Secrets Manager on
 * first use (a failed read is tried again by the next call); undefined when none is configured.
 */
export function webhookSecretOf(
  settings: ConnectorSettings,
  config: Pick<Config, 'region' | 'defender'>,
  overrides: ConfiguredConnectorOverrides = {},
): (() => Promise<string>) | undefined {
  const { secret, secretArn } = settings.webhook;
  if (secret !== undefined) return async () => secret;
  if (secretArn === undefined) return undefined;
  let reading: Promise<string> | undefined;
  return () => {
    reading ??= (async () => {
      // Loaded here, not at cold start: a function that never signs pays nothing for the client.
      const { createSecretsManagerClient, readWebhookSecret } = await import('./webhook-secret.js');
      const client = overrides.secretsManager ?? createSecretsManagerClient(config);
      return readWebhookSecret(client, secretArn);
    })().catch((error: unknown) => {
      reading = undefined;
      throw error;
    });
    return reading;
  };
}

/**
 * Loads a connector's module (and its AWS SDK clients) on first use: evaluating the EC2 and
 * Route 53 Resolver clients costs ~70 ms of cold start, paid only when an action goes to them.
 */
function lazyConnector(
  name: string,
  timeoutSeconds: number,
  load: () => Promise<Connector>,
): Connector {
  let loading: Promise<Connector> | undefined;
  const connector = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    name,
    timeoutSeconds,
    submit: async (action) => (await connector()).submit(action),
    status: async (action, ref) => (await connector()).status(action, ref),
    undo: async (action) => (await connector()).undo(action),
  };
}
