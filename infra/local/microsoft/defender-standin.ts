// `npm run defender:standin`: a sample Microsoft tenant (sign-in, Graph, Defender for Endpoint) on
// a fixed port with Defender alerts to poll; prints the settings that point `npm start` at it.
import { SAMPLE_CONNECTORS, startSampleTenant } from './sample-tenant.js';

async function main() {
  const port = Number(process.env.DEFENDER_STANDIN_PORT || 3010);
  const tenant = await startSampleTenant({ port });
  const env = { ...tenant.env, DEFENDER_POLL_SECONDS: '10', CONNECTORS: `'${SAMPLE_CONNECTORS}'` };
  process.stdout.write(
    [
      '',
      `Microsoft stand-in (sign-in, Graph, Defender for Endpoint) at ${tenant.standIn.url}`,
      `  ${tenant.alerts.alerts().length} Defender alerts: ${tenant.alerts
        .alerts()
        .map((a) => `"${String(a.title)}"`)
        .join(', ')}`,
      '',
      'Start the Action Center against it (another terminal):',
      '',
      `  ${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' \\\n  ')} \\\n  npm start`,
      '',
      'The poller reads the alerts within 10 s; their actions wait in the Pending tab. Approve one:',
      'the defender connector calls Defender for Endpoint or Graph here, and the action completes',
      'once the machine action has gone Pending -> InProgress -> Succeeded.',
      'Every request is logged here. Stop: Ctrl+C',
      '',
    ].join('\n'),
  );
  let seen = 0;
  const log = setInterval(() => {
    for (const r of tenant.standIn.requests.slice(seen)) {
      const query = Object.entries(r.query)
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      process.stdout.write(
        `${new Date(r.at).toISOString()} ${r.method} ${r.path}${query ? `?${query}` : ''}\n`,
      );
    }
    seen = tenant.standIn.requests.length;
  }, 500);
  const stop = async () => {
    clearInterval(log);
    await tenant.standIn.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`The Microsoft stand-in could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
