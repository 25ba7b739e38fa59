// The embedded runtime for the browser tests: started as `npm start` runs it (see
// test/support/runtime-process.ts), with helpers to feed it alerts and wait for its actions.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Action, AlertDetail } from '../../../../functions/core/model.js';
import { ALERT_DETAIL_TYPE, DEFAULT_ALERT_SOURCE } from '../../../../functions/ingest/rule.js';
import {
  apiClient,
  eventHeaders,
  eventually,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../../../support/runtime-process.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface RunningActionCenter {
  url: string;
  token(user: string, roles: string[]): Promise<string>;
  sendAlerts(alerts: AlertDetail[]): Promise<void>;
  /** The pending actions of one alert, once the workflow has proposed `count` of them. */
  pendingActions(alertId: string, count: number): Promise<Action[]>;
  /** One action as the API reads it now. */
  action(id: string): Promise<Action>;
  close(): Promise<void>;
}

export async function startActionCenter(
  env: Record<string, string> = {},
): Promise<RunningActionCenter> {
  const runtime: RuntimeProcess = await startRuntimeProcess({ env });
  const admin = apiClient(runtime.url, await tokenFor('harness@example.com', ['GlobalAdmin']));
  return {
    url: runtime.url,
    token: tokenFor,
    async sendAlerts(alerts) {
      const response = await fetch(`${runtime.url}/api/events`, {
        method: 'POST',
        headers: await eventHeaders(),
        body: JSON.stringify({
          Entries: alerts.map((detail) => ({
            Source: DEFAULT_ALERT_SOURCE,
            DetailType: ALERT_DETAIL_TYPE,
            Detail: JSON.stringify(detail),
          })),
        }),
      });
      const body = (await response.json()) as { FailedEntryCount: number };
      if (body.FailedEntryCount > 0) throw new Error(`alerts refused: ${JSON.stringify(body)}`);
    },
    pendingActions(alertId, count) {
      return eventually(async () => {
        const list = await admin.get('/actions?tab=pending&limit=200');
        const mine = (list.json?.items as Action[] | undefined)?.filter(
          (a) => a.alertId === alertId,
        );
        return mine && mine.length >= count ? mine : undefined;
      }, `${count} pending actions for alert ${alertId}`);
    },
    async action(id) {
      const response = await admin.get(`/actions/${encodeURIComponent(id)}`);
      return response.json as Action;
    },
    async close() {
      await runtime.stop();
      removeDataDir(runtime.dataDir);
    },
  };
}

/** An EDR alert of one malicious file on a finance laptop: one Quarantine file action. */
export const dropperAlert = (alertId: string, name: string): AlertDetail => ({
  alertId,
  title: 'Dropper on a finance laptop',
  severity: 'high',
  detectionSource: 'EDR',
  detectedAt: new Date().toISOString(),
  entities: [
    {
      kind: 'file',
      id: `sha256:${name}`,
      verdict: 'malicious',
      deviceId: 'dev-fin-1',
      displayName: name,
    },
  ],
});
