// `npm run demo`: a newcomer's first look. If an Action Center already runs at the URL (npm start),
// the demo alerts go to it. Otherwise the demo starts one itself, with the webhook connector wired
// to a local receiver, so the signed remediation requests can be seen arriving.
import { randomBytes } from 'node:crypto';
import { ALERT_DETAIL_TYPE, DEFAULT_ALERT_SOURCE } from '../../functions/ingest/rule.js';
import { localJwtSecret, signToken } from './auth.js';
import { demoAlerts } from './demo-alerts.js';
import { startRuntime } from './runtime.js';
import { localSettings } from './settings.js';
import { executeAnswersFrom, startWebhookReceiver } from './webhook-receiver.js';

async function reachable(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/config.json`, { signal: AbortSignal.timeout(1500) });
    return response.ok;
  } catch {
    return false;
  }
}

/** A SecurityAdmin token signed with the running Action Center's secret, to put events. */
async function producerToken(dataDir: string | undefined): Promise<string> {
  const secret = localJwtSecret(dataDir);
  if (!secret) {
    throw new Error(
      'The running Action Center (STORAGE=memory) keeps its JWT secret in its process: start it ' +
        'and the demo with the same LOCAL_JWT_SECRET.',
    );
  }
  return signToken(secret, 'demo@example.com', ['SecurityAdmin'], 1);
}

async function sendAlerts(url: string, token: string): Promise<void> {
  const alerts = demoAlerts();
  const response = await fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      Entries: alerts.map((alert) => ({
        Source: process.env.ALERT_SOURCE || DEFAULT_ALERT_SOURCE,
        DetailType: ALERT_DETAIL_TYPE,
        Detail: JSON.stringify(alert),
      })),
    }),
  });
  if (!response.ok) {
    throw new Error(`${url}/api/events answered ${response.status}: ${await response.text()}`);
  }
  const result = (await response.json()) as { FailedEntryCount: number; Entries: unknown[] };
  alerts.forEach((alert, i) => {
    const entry = result.Entries[i] as { EventId?: string; ErrorMessage?: string };
    process.stdout.write(
      `  ${entry.EventId ? 'sent  ' : 'FAILED'} ${alert.title}${entry.ErrorMessage ? ` (${entry.ErrorMessage})` : ''}\n`,
    );
  });
  if (result.FailedEntryCount > 0) process.exitCode = 1;
}

async function main() {
  const settings = localSettings();
  const url = `http://${settings.host}:${settings.port}`;
  if (await reachable(url)) {
    process.stdout.write(`Sending demo alerts to the Action Center at ${url}\n`);
    await sendAlerts(url, await producerToken(settings.dataDir));
    process.stdout.write(
      `\nOpen ${url} and sign in with: npm run token -- you@example.com GlobalAdmin\n`,
    );
    return;
  }

  const secret = process.env.WEBHOOK_SECRET || randomBytes(24).toString('base64url');
  const receiver = await startWebhookReceiver({
    port: Number(process.env.DEMO_RECEIVER_PORT ?? 0),
    secret,
    // e.g. {"isolateDevice":{"mode":"later","afterMs":10000},"killProcess":{"mode":"never"}}
    answers: executeAnswersFrom(process.env.WEBHOOK_RECEIVER_ANSWERS),
    log: (message, fields) =>
      process.stdout.write(`  [receiver] ${message} ${JSON.stringify(fields)}\n`),
  });
  const runtime = await startRuntime({
    ...settings,
    env: {
      ...settings.env,
      CONNECTORS: settings.env.CONNECTORS || JSON.stringify({ default: 'webhook' }),
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: secret,
    },
  });
  receiver.callBackTo(`${runtime.url}/api/connectors/webhook/callbacks`);
  process.stdout.write(
    `Action Center (demo) is running at ${runtime.url}\n` +
      `  remediation requests go to the webhook receiver at ${receiver.url}, signed with HMAC-SHA256\n`,
  );
  await sendAlerts(runtime.url, await runtime.token('demo@example.com', ['SecurityAdmin'], 1));
  const token = await runtime.token('demo@example.com', ['GlobalAdmin']);
  process.stdout.write(
    `\nOpen ${runtime.url} and sign in with this token (GlobalAdmin):\n${token}\n\n` +
      'Approve an action and watch the signed request arrive below. Stop with Ctrl+C.\n',
  );
  const stop = async () => {
    await runtime.close();
    await receiver.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`Demo failed: ${(error as Error).message}\n`);
  process.exit(1);
});
