// `eval "$(npm run -s credentials)"`: exports the local AWS credentials, the region and the service
// endpoints, so the AWS CLI and SDKs reach this runtime with no flags.
import { credentialExports, localAwsCredentials } from './aws-credentials.js';
import { localSettings } from './settings.js';

try {
  const settings = localSettings();
  if (!settings.dataDir) {
    throw new Error(
      'With STORAGE=memory the runtime makes its AWS credentials per process: use the export lines it printed at start.',
    );
  }
  const host = ['0.0.0.0', '::', '[::]'].includes(settings.host) ? '127.0.0.1' : settings.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${settings.port}`;
  const region = settings.env.AWS_REGION || 'us-east-1';
  process.stdout.write(
    `${credentialExports(localAwsCredentials(settings.dataDir), region, url)}\n`,
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
