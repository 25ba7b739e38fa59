// Lambda entry for every GET route of the API (read-only table access). Wired once per process.
import { createStores } from '../adapters/dynamodb/index.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../core/ports.js';
import { createReadHandler } from './read-routes.js';

const config = loadConfig();
const stores = createStores(config);

export const handler = createReadHandler({
  actions: stores.actions,
  investigations: stores.investigations,
  audit: stores.audit,
  clock: systemClock,
});

export { createReadHandler };
