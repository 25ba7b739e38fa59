// The real AWS SDK v3 EventBridge client, pointed at the local stand-in. The stand-in takes a
// bearer token until it checks Signature Version 4, so the token replaces the signature here.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

export function eventBridgeClient(endpoint: string, token?: string): EventBridgeClient {
  const client = new EventBridgeClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  if (token) {
    // The deserialize step runs after signing, just before the request is sent.
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        request.headers.authorization = `Bearer ${token}`;
        return next(args);
      },
      { step: 'deserialize', name: 'bearerToken' },
    );
  }
  return client;
}
