// The webhook's signing secret kept in Secrets Manager (WEBHOOK_SECRET_ARN). Loaded by the
// webhook connector on first use, so a function that never signs pays nothing for the client.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../../config.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';
import { tracer } from '../../observability.js';
import { connectorErrorOf } from './aws-errors.js';

export function createSecretsManagerClient(config: Pick<Config, 'region'>): SecretsManagerClient {
  return tracer.captureAWSv3Client(new SecretsManagerClient({ region: config.region }));
}

/** The secret's SecretString, as is. */
export async function readWebhookSecret(
  client: SecretsManagerClient,
  secretId: string,
): Promise<string> {
  let secret: string | undefined;
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    secret = out.SecretString;
  } catch (error) {
    throw connectorErrorOf(error, 'reading the webhook signing secret');
  }
  if (!secret) {
    throw new ConnectorPermanentError(
      'The webhook signing secret (WEBHOOK_SECRET_ARN) has no SecretString',
    );
  }
  return secret;
}
