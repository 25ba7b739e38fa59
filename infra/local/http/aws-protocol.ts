// What the runtime's AWS JSON endpoints (EventBridge, Step Functions, DynamoDB) share: the raw
// body the signature covers, the signature check, and errors in each protocol's JSON shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignatureVerifier } from './sigv4.js';

export interface AwsJsonProtocol {
  /** The credential scope's service name. */
  service: 'events' | 'states' | 'dynamodb';
  contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1';
  /** DynamoDB names its errors `com.amazon.coral.service#Name`. */
  errorPrefix: string;
}

export const EVENTS_PROTOCOL: AwsJsonProtocol = {
  service: 'events',
  contentType: 'application/x-amz-json-1.1',
  errorPrefix: '',
};
export const STATES_PROTOCOL: AwsJsonProtocol = {
  service: 'states',
  contentType: 'application/x-amz-json-1.0',
  errorPrefix: '',
};
export const DYNAMODB_PROTOCOL: AwsJsonProtocol = {
  service: 'dynamodb',
  contentType: 'application/x-amz-json-1.0',
  errorPrefix: 'com.amazon.coral.service#',
};

/** The body's bytes, or undefined past `limit` (the rest is read and dropped). */
export function readRawBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolveBody(size > limit ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** An AWS JSON error: `__type`, `message` and the x-amzn-ErrorType header the SDKs also read. */
export function sendAwsError(
  response: ServerResponse,
  protocol: AwsJsonProtocol,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'Content-Type': protocol.contentType,
    'x-amzn-ErrorType': code,
    ...headers,
  });
  response.end(JSON.stringify({ __type: `${protocol.errorPrefix}${code}`, message }));
}

/**
 * Reads the body and checks its signature for the protocol's service; on a missing or bad one
 * answers AWS's error (400, as the AWS JSON services answer it) and gives undefined.
 */
export async function signedBody(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  options: { protocol: AwsJsonProtocol; verify: SignatureVerifier; limit: number },
): Promise<Buffer | undefined> {
  const body = await readRawBody(request, options.limit);
  if (body === undefined) {
    sendAwsError(
      response,
      options.protocol,
      413,
      'RequestEntityTooLargeException',
      'Request is too large',
    );
    return undefined;
  }
  const check = await options.verify(
    { method: request.method ?? 'POST', url, headers: request.headers, body },
    options.protocol.service,
  );
  if (!check.valid) {
    sendAwsError(response, options.protocol, 400, check.code, check.message);
    return undefined;
  }
  return body;
}
