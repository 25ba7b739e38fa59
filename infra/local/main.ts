// `npm start`: the whole Action Center on this machine at http://127.0.0.1:3000.
import { logger } from '../../functions/observability.js';
import { credentialExports } from './aws-credentials.js';
import { StartupError, startRuntime } from './runtime.js';
import { localSettings } from './settings.js';

async function main() {
  // LevelDB (dynalite's store) creates its files itself with no mode option: an owner-only umask
  // is the one way its later files are 0600 too. Set here only, for this process.
  process.umask(0o077);
  const settings = localSettings();
  const runtime = await startRuntime(settings);
  process.stdout.write(
    [
      '',
      `Action Center is running at ${runtime.url}`,
      `  data: ${settings.dataDir ?? 'in memory (nothing kept)'}`,
      runtime.adminToken
        ? `  the JWT secret lives in this process only; an admin token (12 h):\n  ${runtime.adminToken}`
        : '  sign in with a token:  npm run token -- you@example.com GlobalAdmin',
      settings.dataDir
        ? '  AWS CLI and SDKs:      eval "$(npm run -s credentials)"'
        : `  the AWS credentials live in this process only; for the AWS CLI and SDKs:\n${credentialExports(runtime.awsCredentials, runtime.config.region, runtime.url)}`,
      '  send sample alerts:    npm run demo',
      '  stop: Ctrl+C',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('Shutting down', { signal });
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    process.stderr.write(`Action Center could not start: ${error.message}\n`);
  } else {
    process.stderr.write(`Action Center could not start: ${(error as Error).stack ?? error}\n`);
  }
  process.exit(1);
});
