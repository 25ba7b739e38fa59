// The stores over one table, wired from the config: what handlers use.
import type { Config } from '../../config.js';
import { ActionStore } from './action-store.js';
import { AuditLog } from './audit-log.js';
import { createDocumentClient } from './client.js';
import { DedupStore } from './dedup-store.js';
import { InvestigationStore } from './investigation-store.js';

export interface Stores {
  actions: ActionStore;
  investigations: InvestigationStore;
  dedup: DedupStore;
  audit: AuditLog;
}

export function createStores(config: Config, doc = createDocumentClient(config)): Stores {
  const settings = {
    tableName: config.tableName,
    historyRetentionSeconds: config.historyRetentionSeconds,
    dedupWindowSeconds: config.dedupWindowSeconds,
  };
  return {
    actions: new ActionStore(doc, settings),
    investigations: new InvestigationStore(doc, settings),
    dedup: new DedupStore(doc, settings),
    audit: new AuditLog(doc, settings),
  };
}

export { ActionStore, AuditLog, DedupStore, InvestigationStore };
