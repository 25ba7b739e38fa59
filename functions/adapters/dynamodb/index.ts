// The stores over one table, wired from the config: what the composition root hands the use cases.
import type { Config } from '../../config.js';
import { DynamoActionStore } from './action-store.js';
import { DynamoAuditLog } from './audit-log.js';
import { createDocumentClient } from './client.js';
import { cursorCodec } from './cursor.js';
import { DynamoDedupStore } from './dedup-store.js';
import { DynamoInvestigationStore } from './investigation-store.js';
import { DynamoLinkStore } from './link-store.js';
import { DynamoNotificationClaims } from './notification-claims.js';
import { DynamoRejectedAlerts } from './rejected-alerts.js';

export interface Stores {
  actions: DynamoActionStore;
  investigations: DynamoInvestigationStore;
  dedup: DynamoDedupStore;
  audit: DynamoAuditLog;
  rejectedAlerts: DynamoRejectedAlerts;
  links: DynamoLinkStore;
  notificationClaims: DynamoNotificationClaims;
}

export function createStores(config: Config, doc = createDocumentClient(config)): Stores {
  const settings = {
    tableName: config.tableName,
    historyRetentionSeconds: config.historyRetentionSeconds,
    dedupWindowSeconds: config.dedupWindowSeconds,
    cursors: cursorCodec(config.cursorSecret),
  };
  return {
    actions: new DynamoActionStore(doc, settings),
    investigations: new DynamoInvestigationStore(doc, settings),
    dedup: new DynamoDedupStore(doc, settings),
    audit: new DynamoAuditLog(doc, settings),
    rejectedAlerts: new DynamoRejectedAlerts(doc, settings),
    links: new DynamoLinkStore(doc, settings),
    notificationClaims: new DynamoNotificationClaims(doc, settings),
  };
}
