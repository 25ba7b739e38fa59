// `npm run demo:ssm`: the ssm connector end to end without an AWS account. Starts moto_server (an
// AWS emulator) with our SSM documents and one Linux "instance", starts the Action Center with
// quarantineFile routed to ssm and its SSM and EC2 clients pointed at moto, sends an alert about a
// malicious file on that instance, approves the quarantine, and prints the action as it goes
// Approved -> Running -> Completed, with the command's output, and what moto answered.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateDocumentCommand,
  GetCommandInvocationCommand,
  ListCommandsCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { SSM_DOCUMENTS, ssmDocumentName } from '../../functions/core/ssm-commands.js';
import { ALERT_DETAIL_TYPE, DEFAULT_ALERT_SOURCE } from '../../functions/ingest/rule.js';
import { ssmDocumentContent } from '../aws/constructs/ssm-documents.js';
import { signToken } from './auth.js';
import { freePort, motoClientConfig, motoMissing, startMoto } from './moto-server.js';

const REGION = 'eu-west-1';
const SHA256 = '0f343b0931126a20f133d67c2b018a3b5a37cb8a1e2a9b0fcfb16f7b4d3e1a7c';
const say = (line: string) => process.stdout.write(`${line}\n`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function prepareMoto(endpoint: string): Promise<string> {
  const ssm = new SSMClient(motoClientConfig(endpoint, REGION));
  for (const platform of SSM_DOCUMENTS.quarantineFile.platforms) {
    await ssm.send(
      new CreateDocumentCommand({
        Name: ssmDocumentName('ActionCenter', 'quarantineFile', platform),
        DocumentType: 'Command',
        DocumentFormat: 'JSON',
        Content: JSON.stringify(ssmDocumentContent('quarantineFile', platform)),
      }),
    );
  }
  const ec2 = new EC2Client(motoClientConfig(endpoint, REGION));
  // Amazon Linux in moto's image catalogue: the connector sends the Linux document.
  const run = await ec2.send(
    new RunInstancesCommand({ ImageId: 'ami-760aaa0f', MinCount: 1, MaxCount: 1 }),
  );
  return run.Instances?.[0]?.InstanceId as string;
}

async function api<T>(url: string, token: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(250);
  }
}

interface ActionView {
  id: string;
  type: string;
  status: string;
  result?: { outcome: string; detail?: string };
}

async function main() {
  if (motoMissing) throw new Error(motoMissing);
  const moto = await startMoto();
  const instanceId = await prepareMoto(moto.endpoint);
  say(
    `moto_server at ${moto.endpoint}: documents ActionCenter-QuarantineFile-*, instance ${instanceId}`,
  );

  const jwtSecret = randomBytes(32).toString('base64url');
  const port = await freePort();
  const center = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      STORAGE: 'memory',
      LOCAL_JWT_SECRET: jwtSecret,
      CONNECTORS: JSON.stringify({ default: 'builtin', types: { quarantineFile: 'ssm' } }),
      AUTOMATION_LEVEL_ENDPOINT: 'semi',
      AWS_REGION: REGION,
      // The SDK's per-service endpoints: only SSM and EC2 go to moto.
      AWS_ENDPOINT_URL_SSM: moto.endpoint,
      AWS_ENDPOINT_URL_EC2: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      LOG_LEVEL: 'ERROR',
    },
  });
  const stop = async () => {
    center.kill('SIGTERM');
    await moto.stop();
  };
  // Ctrl+C or a kill stops both children too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().then(() => process.exit(130)));
  }
  try {
    const url = `http://127.0.0.1:${port}`;
    await until('the Action Center', async () => {
      const answer = await fetch(`${url}/config.json`, { signal: AbortSignal.timeout(2_000) });
      return answer.ok ? true : undefined;
    });
    say(`Action Center at ${url}, quarantineFile routed to the ssm connector`);
    const token = await signToken(jwtSecret, 'demo@example.com', ['GlobalAdmin'], 1);

    const alertId = `ssm-demo-${Date.now()}`;
    await api(url, token, '/events', {
      Entries: [
        {
          Source: DEFAULT_ALERT_SOURCE,
          DetailType: ALERT_DETAIL_TYPE,
          Detail: JSON.stringify({
            alertId,
            title: 'Malicious file on an EC2 instance',
            severity: 'high',
            detectionSource: 'demo',
            detectedAt: new Date().toISOString(),
            entities: [
              {
                kind: 'file',
                id: SHA256,
                verdict: 'malicious',
                displayName: 'invoice.exe',
                deviceId: instanceId,
                path: '/home/ec2-user/invoice.exe',
                sha256: SHA256,
              },
            ],
          }),
        },
      ],
    });
    say(`Sent alert ${alertId}: invoice.exe on ${instanceId}`);

    const action = await until('the pending quarantine', async () => {
      const { items } = await api<{ items: ActionView[] }>(url, token, '/actions?tab=pending');
      return items.find((a) => a.type === 'quarantineFile');
    });
    say(`Action ${action.id} is ${action.status}; approving it`);
    await api(url, token, `/actions/${action.id}/approve`, { comment: 'demo:ssm' });

    let last = '';
    const done = await until('the remediation to finish', async () => {
      const now = await api<ActionView>(url, token, `/actions/${action.id}`);
      if (now.status !== last) {
        last = now.status;
        say(`  ${new Date().toISOString()}  ${last}`);
      }
      return ['Completed', 'Failed'].includes(now.status) ? now : undefined;
    });
    say(`Result: ${done.result?.outcome}\n  detail: ${done.result?.detail}`);

    const ssm = new SSMClient(motoClientConfig(moto.endpoint, REGION));
    const [command] =
      (await ssm.send(new ListCommandsCommand({ InstanceId: instanceId }))).Commands ?? [];
    const invocation = await ssm.send(
      new GetCommandInvocationCommand({ CommandId: command?.CommandId, InstanceId: instanceId }),
    );
    say(
      `\nWhat moto recorded and answered (it runs no agent: Success at once, no output):\n` +
        `  SendCommand ${command?.DocumentName} Comment=${command?.Comment}\n` +
        `    Parameters ${JSON.stringify(command?.Parameters)}\n` +
        `  GetCommandInvocation Status=${invocation.Status} StatusDetails=${invocation.StatusDetails} ` +
        `StandardOutputContent=${JSON.stringify(invocation.StandardOutputContent)}`,
    );
    if (done.status !== 'Completed') process.exitCode = 1;
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo:ssm failed: ${(error as Error).message}\n`);
  process.exit(1);
});
