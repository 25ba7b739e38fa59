// The real AWS SDK v3 EventBridge client, pointed at the local stand-in: signing with the given
// AWS credentials, or (a bearer token) with the token in place of the signature.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LocalAwsCredentials } from '../../infra/local/aws-credentials.js';

export function eventBridgeClient(
  endpoint: string,
  auth?: string | LocalAwsCredentials,
): EventBridgeClient {
  const client = new EventBridgeClient({
    endpoint,
    region: 'us-east-1',
    credentials:
      typeof auth === 'object' ? auth : { accessKeyId: 'unknown', secretAccessKey: 'unknown' },
    maxAttempts: 1,
  });
  if (typeof auth === 'string') {
    // The deserialize step runs after signing, just before the request is sent.
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        request.headers.authorization = `Bearer ${auth}`;
        return next(args);
      },
      { step: 'deserialize', name: 'bearerToken' },
    );
  }
  return client;
}
