// Settings of the embedded runtime (the functions' own settings are in functions/config.ts).
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import * as z from 'zod';
import { DEFAULT_EVENT_BUS_NAME } from '../../functions/ingest/rule.js';
import { StartupError } from './startup-error.js';

const Settings = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** `true` lets a non-loopback HOST through (everything the runtime serves is then on the network). */
  ALLOW_REMOTE: z.enum(['true', 'false']).default('false'),
  DATA_DIR: z.string().default('./.data'),
  /** `memory` keeps nothing on disk (tests). */
  STORAGE: z.enum(['disk', 'memory']).default('disk'),
  TTL_SWEEP_SECONDS: z.coerce.number().positive().default(60),
  RECONCILE_SECONDS: z.coerce.number().positive().default(60),
  /** The bus the alert rule is on, as CDK's eventBusName: events sent to another bus go nowhere. */
  EVENT_BUS_NAME: z.string().min(1).default(DEFAULT_EVENT_BUS_NAME),
  /** Alerts in progress (accepted, not yet through ingest, or a workflow task running) before PutEvents throttles. */
  MAX_RUNNING_INVESTIGATIONS: z.coerce.number().int().positive().default(32),
  /** HTTP API and PutEvents requests served at once before the next is answered 429. */
  MAX_IN_FLIGHT_REQUESTS: z.coerce.number().int().positive().default(64),
  /** Tests only: holds each accepted event back before delivery, so a kill -9 lands before it. */
  EVENT_DELIVERY_DELAY_MS: z.coerce.number().int().min(0).default(0),
});

export interface LocalSettings {
  port: number;
  host: string;
  /** HOST is not a loopback address (only with ALLOW_REMOTE=true). */
  remote: boolean;
  /** Undefined when storage is in memory. */
  dataDir?: string;
  ttlSweepSeconds: number;
  reconcileSeconds: number;
  /** The EventBridge stand-in's bus, the one the alert rule listens on (default: CDK's default). */
  eventBusName?: string;
  /** Back-pressure bounds (back-pressure.ts); defaults when absent. */
  maxRunningInvestigations?: number;
  maxInFlightRequests?: number;
  /** Tests only: the wait before each accepted event's first delivery attempt. */
  eventDeliveryDelayMs?: number;
  /** The functions' own settings (functions/config.ts), as a Lambda's environment would carry them. */
  env: Record<string, string | undefined>;
}

/** 127.0.0.0/8, ::1 and `localhost`: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare.startsWith('::ffff:127.');
  return false;
}

export function localSettings(env = process.env): LocalSettings {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new StartupError(`Invalid local runtime settings: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  const remote = !isLoopback(s.HOST);
  if (remote && s.ALLOW_REMOTE !== 'true') {
    throw new StartupError(
      `HOST=${s.HOST} is not a loopback address: the API, the Step Functions and EventBridge ` +
        'stand-ins and the page would be reachable from the network. Use HOST=127.0.0.1, or set ' +
        'ALLOW_REMOTE=true if that is what you want.',
    );
  }
  return {
    port: s.PORT,
    host: s.HOST,
    remote,
    dataDir: s.STORAGE === 'memory' ? undefined : resolve(s.DATA_DIR),
    ttlSweepSeconds: s.TTL_SWEEP_SECONDS,
    reconcileSeconds: s.RECONCILE_SECONDS,
    eventBusName: s.EVENT_BUS_NAME,
    eventDeliveryDelayMs: s.EVENT_DELIVERY_DELAY_MS,
    maxRunningInvestigations: s.MAX_RUNNING_INVESTIGATIONS,
    maxInFlightRequests: s.MAX_IN_FLIGHT_REQUESTS,
    env: { ...env },
  };
}
