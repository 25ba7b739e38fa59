// The Microsoft client of the Defender integration (alert poller, defender connector), built from
// the Defender settings: the client secret from the environment locally, from Secrets Manager in AWS.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DefenderSettings } from '../../core/defender-settings.js';
import { tracer } from '../../observability.js';
import { MicrosoftApi, type MicrosoftApiOptions } from './api.js';
import { MicrosoftApiError } from './errors.js';
import { TokenSource } from './token.js';

export { type MicrosoftAnswer, MicrosoftApi, type MicrosoftRequest } from './api.js';
export { connectorErrorOfMicrosoft, MicrosoftApiError } from './errors.js';
export { MICROSOFT_SCOPES, type MicrosoftService, TokenSource } from './token.js';

/** Read on first use, then kept; a failed read is tried again by the next call. */
function clientSecretOf(settings: DefenderSettings, region: string): () => Promise<string> {
  const { clientSecret } = settings;
  if ('value' in clientSecret) return async () => clientSecret.value;
  let cached: Promise<string> | undefined;
  const load = async () => {
    const client = tracer.captureAWSv3Client(new SecretsManagerClient({ region }));
    let secret: string | undefined;
    try {
      secret = (await client.send(new GetSecretValueCommand({ SecretId: clientSecret.arn })))
        .SecretString;
    } catch (error) {
      throw new MicrosoftApiError('login', 'transient', {
        message: `The Defender client secret (DEFENDER_CLIENT_SECRET_ARN) is unreadable: ${(error as Error).name}`,
        cause: error,
      });
    }
    if (!secret) {
      throw new MicrosoftApiError('login', 'permanent', {
        message: 'The Defender client secret (DEFENDER_CLIENT_SECRET_ARN) has no SecretString',
      });
    }
    return secret;
  };
  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}

export function createMicrosoftApi(
  settings: DefenderSettings,
  region: string,
  options: Partial<Omit<MicrosoftApiOptions, 'tokens' | 'baseUrls'>> & { now?: () => number } = {},
): MicrosoftApi {
  const tokens = new TokenSource({
    loginUrl: settings.loginUrl,
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    clientSecret: clientSecretOf(settings, region),
    now: options.now,
  });
  return new MicrosoftApi({
    ...options,
    tokens,
    baseUrls: { graph: settings.graphUrl, defenderEndpoint: settings.mdeApiUrl },
  });
}
