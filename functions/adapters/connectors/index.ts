// Which connector carries out an action. By default every action goes to the built-in connector;
// CONNECTORS routes categories or types to the webhook or aws connector (see ./README.md).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.js';
import type { Action, ActionType, Category } from '../../core/model.js';
import {
  type Clock,
  type Connector,
  type ConnectorRegistry,
  systemClock,
} from '../../core/ports.js';
import { createDocumentClient } from '../dynamodb/client.js';
import { DynamoDomainHolds } from '../dynamodb/domain-holds.js';
import { DynamoLiveResponsePacing } from '../dynamodb/live-response-pacing.js';
import { DynamoRemediationReports } from '../dynamodb/remediation-reports.js';
import { BuiltinConnector } from './builtin.js';
import { type ConfiguredConnectorOverrides, configuredRoutes } from './configured.js';

interface ConnectorRoute {
  /** Matches every action of the category (or of any category when absent). */
  category?: Category;
  /** Matches only this action type (checked before category-only routes). */
  type?: ActionType;
  connector: Connector;
}

/** The first route naming the action's type, else the first naming its category, else `fallback`. */
export function routeConnectors(
  routes: readonly ConnectorRoute[],
  fallback: Connector,
): ConnectorRegistry {
  return {
    connectorFor(action: Action): Connector {
      const byType = routes.find(
        (r) =>
          r.type === action.type && (r.category === undefined || r.category === action.category),
      );
      const byCategory = routes.find((r) => r.type === undefined && r.category === action.category);
      return (byType ?? byCategory)?.connector ?? fallback;
    },
  };
}

interface ConnectorDependencies {
  /** The table's document client (one per process); created from the config when absent. */
  doc?: DynamoDBDocumentClient;
  clock?: Clock;
  /** Connectors that take precedence over the built-in one. */
  routes?: readonly ConnectorRoute[];
  /** Clients for the configured connectors (tests); created from the config when absent. */
  clients?: ConfiguredConnectorOverrides;
}

/** Routes by `config.connectors` (CONNECTORS / CONNECTORS_FILE); the built-in one when absent. */
export function createConnectorRegistry(
  config: Pick<Config, 'tableName' | 'historyRetentionSeconds' | 'region' | 'dynamodbEndpoint'> &
    Partial<Pick<Config, 'connectors' | 'defender'>>,
  deps: ConnectorDependencies = {},
): ConnectorRegistry {
  const doc = deps.doc ?? createDocumentClient(config);
  const table = {
    tableName: config.tableName,
    historyRetentionSeconds: config.historyRetentionSeconds,
  };
  const builtin = new BuiltinConnector(doc, table, deps.clock ?? systemClock);
  const reports = new DynamoRemediationReports(doc, table);
  const liveResponsePacing = new DynamoLiveResponsePacing(
    doc,
    table,
    (config.connectors?.defender.timeoutSeconds ?? 0) * 1000,
  );
  const configured = config.connectors
    ? configuredRoutes(
        config.connectors,
        config,
        { builtin, reports, domainHolds: new DynamoDomainHolds(doc, table), liveResponsePacing },
        deps.clients,
      )
    : { routes: [], fallback: builtin };
  return routeConnectors([...(deps.routes ?? []), ...configured.routes], configured.fallback);
}
