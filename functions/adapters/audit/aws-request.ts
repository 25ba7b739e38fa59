// A SigV4-signed HTTPS call to an AWS API. The KMS and S3 SDK clients are not among the project's
// dependencies, and these adapters need three calls: the SDK's own signer and credential chain do it.
import { createHash, createHmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** SHA-256 (and HMAC-SHA-256 when given a secret) in the shape the signer asks for. */
type Data = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: Data) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

class Sha256 {
  private readonly hash;
  constructor(secret?: Data) {
    this.hash = secret ? createHmac('sha256', bytesOf(secret)) : createHash('sha256');
  }
  update(data: Data) {
    this.hash.update(bytesOf(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

export interface AwsTarget {
  service: 'kms' | 's3';
  region: string;
  /** Another endpoint (a test's emulator); AWS's regional endpoint otherwise. */
  endpoint?: string;
}

export interface AwsCall {
  method: 'GET' | 'PUT' | 'POST';
  /** The host's first label, for S3's virtual-hosted bucket (ignored with an endpoint: path style). */
  bucket?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export class AwsRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AwsRequestError';
  }
}

export function awsCaller(target: AwsTarget) {
  const signer = new SignatureV4({
    credentials: defaultProvider(),
    region: target.region,
    service: target.service,
    sha256: Sha256,
  });
  const base = target.endpoint
    ? new URL(target.endpoint)
    : new URL(`https://${target.service}.${target.region}.amazonaws.com`);
  return async (call: AwsCall): Promise<{ status: number; body: Buffer }> => {
    const pathStyle = target.endpoint !== undefined || !call.bucket;
    const hostname = pathStyle ? base.hostname : `${call.bucket}.${base.hostname}`;
    const path = pathStyle && call.bucket ? `/${call.bucket}${call.path}` : call.path;
    const host = base.port ? `${hostname}:${base.port}` : hostname;
    const body = call.body;
    const request = new HttpRequest({
      method: call.method,
      protocol: base.protocol,
      hostname,
      port: base.port ? Number(base.port) : undefined,
      path,
      headers: {
        host,
        ...(target.service === 's3' && {
          'x-amz-content-sha256': createHash('sha256')
            .update(body ?? '')
            .digest('hex'),
        }),
        ...call.headers,
      },
      body,
    });
    const signed = await signer.sign(request);
    const response = await fetch(`${base.protocol}//${host}${path}`, {
      method: call.method,
      headers: signed.headers,
      body: body === undefined ? undefined : new Uint8Array(Buffer.from(body)),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status === 404) return { status: 404, body: bytes };
    if (!response.ok)
      throw new AwsRequestError(
        `${target.service} ${call.method} ${call.path} failed with ${response.status}: ${bytes.toString('utf8').slice(0, 300)}`,
        response.status,
      );
    return { status: response.status, body: bytes };
  };
}
