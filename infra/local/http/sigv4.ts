// AWS Signature Version 4, checked as AWS checks it: the Authorization header's parts, the credential
// scope's region and service, the clock (5 minutes either way), the access key, and the signature
// recomputed by @smithy/signature-v4 over the canonical request of what arrived.
import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { sameSecretText } from '../../../functions/core/constant-time.js';
import type { LocalAwsCredentials } from '../aws-credentials.js';

export const CLOCK_SKEW_MS = 5 * 60 * 1000;
const ALGORITHM = 'AWS4-HMAC-SHA256';

/** What arrived: the method, path and query as sent, the headers, the body's bytes. */
export interface ReceivedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type SignatureCheck =
  | { valid: true; accessKeyId: string }
  | { valid: false; code: SignatureErrorCode; message: string };

export type SignatureErrorCode =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException';

/** node:crypto behind the hash interface @smithy/signature-v4 expects. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret
      ? createHmac('sha256', typeof secret === 'string' ? secret : toBuffer(secret))
      : createHash('sha256');
  }
  update(data: Uint8Array) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const toBuffer = (data: ArrayBuffer | ArrayBufferView) =>
  ArrayBuffer.isView(data)
    ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    : Buffer.from(data);

const fail = (code: SignatureErrorCode, message: string): SignatureCheck => ({
  valid: false,
  code,
  message,
});

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` into its parts. */
function authorizationParts(header: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const piece of header.slice(ALGORITHM.length).split(',')) {
    const [key, ...value] = piece.trim().split('=');
    if (key) parts[key] = value.join('=');
  }
  return parts;
}

/** 20260102T030405Z into a Date, or undefined. */
function amzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/** Whether a request carries a Signature Version 4 (header or presigned query). */
export function isSigned(headers: IncomingHttpHeaders, url: URL): boolean {
  return (
    (header(headers, 'authorization') ?? '').trim().startsWith('AWS4-') ||
    url.searchParams.has('X-Amz-Algorithm')
  );
}

export function signatureVerifier(options: {
  credentials: LocalAwsCredentials;
  region: string;
  now?: () => Date;
}) {
  const now = options.now ?? (() => new Date());
  const signers = new Map<string, SignatureV4>();
  const signerFor = (service: string) => {
    let signer = signers.get(service);
    if (!signer) {
      signer = new SignatureV4({
        credentials: options.credentials,
        region: options.region,
        service,
        sha256: Sha256,
        // The client's own x-amz-content-sha256 is used when it signed one (checked against the body).
        applyChecksum: false,
      });
      signers.set(service, signer);
    }
    return signer;
  };

  /** Checks a request signed for `service` (events, states, dynamodb). */
  return async function verify(request: ReceivedRequest, service: string): Promise<SignatureCheck> {
    const authorization = header(request.headers, 'authorization')?.trim();
    if (!authorization?.startsWith('AWS4-')) {
      if (request.url.searchParams.has('X-Amz-Algorithm')) {
        return fail(
          'IncompleteSignatureException',
          'Presigned URLs are not accepted here: sign the Authorization header.',
        );
      }
      return fail('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
    }
    const parts = authorizationParts(authorization);
    const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((p) => !parts[p]);
    const dateText = header(request.headers, 'x-amz-date');
    if (missing.length > 0 || !dateText) {
      const problems = [
        ...missing.map((p) => `Authorization header requires '${p}' parameter.`),
        ...(dateText ? [] : ["Authorization header requires existence of a 'X-Amz-Date' header."]),
      ];
      return fail(
        'IncompleteSignatureException',
        `${problems.join(' ')} Authorization=${authorization}`,
      );
    }
    const signedAt = amzDate(dateText);
    if (!signedAt) {
      return fail(
        'IncompleteSignatureException',
        `Date must be in ISO-8601 'basic format'. Got '${dateText}'.`,
      );
    }
    const at = now();
    if (signedAt.getTime() < at.getTime() - CLOCK_SKEW_MS) {
      return fail(
        'InvalidSignatureException',
        `Signature expired: ${dateText} is now earlier than ${stamp(new Date(at.getTime() - CLOCK_SKEW_MS))} (${stamp(at)} - 5 min.)`,
      );
    }
    if (signedAt.getTime() > at.getTime() + CLOCK_SKEW_MS) {
      return fail(
        'InvalidSignatureException',
        `Signature not yet current: ${dateText} is still later than ${stamp(new Date(at.getTime() + CLOCK_SKEW_MS))} (${stamp(at)} + 5 min.)`,
      );
    }
    if (!authorization.startsWith(`${ALGORITHM} `)) {
      return fail(
        'IncompleteSignatureException',
        `Unsupported AWS 'algorithm': '${authorization.split(' ')[0]}' (only ${ALGORITHM} for now).`,
      );
    }
    const scope = (parts.Credential ?? '').split('/');
    if (scope.length !== 5) {
      return fail(
        'IncompleteSignatureException',
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parts.Credential}'`,
      );
    }
    const [accessKeyId, day, region, scopeService, terminator] = scope as [
      string,
      string,
      string,
      string,
      string,
    ];
    const scopeProblems = [
      region === options.region
        ? ''
        : `Credential should be scoped to a valid region, not '${region}'.`,
      scopeService === service
        ? ''
        : `Credential should be scoped to correct service: '${service}'.`,
      terminator === 'aws4_request'
        ? ''
        : `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
      day === dateText.slice(0, 8)
        ? ''
        : `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${day}' != '${dateText.slice(0, 8)}', from '${dateText}'.`,
    ].filter(Boolean);
    if (scopeProblems.length > 0) {
      return fail('InvalidSignatureException', scopeProblems.join(' '));
    }
    if (!sameSecretText(accessKeyId, options.credentials.accessKeyId)) {
      return fail(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    const signedHeaders = (parts.SignedHeaders ?? '').toLowerCase().split(';');
    if (!signedHeaders.includes('host')) {
      return fail(
        'InvalidSignatureException',
        "'Host' must be a 'SignedHeader' in the AWS Authorization.",
      );
    }
    const bodyHash = createHash('sha256').update(request.body).digest('hex');
    const declaredHash = header(request.headers, 'x-amz-content-sha256');
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) {
      const value = header(request.headers, name);
      if (value !== undefined) headers[name] = value;
    }
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(request.url.searchParams.keys())) {
      const values = request.url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] as string) : values;
    }
    const signed = await signerFor(service).sign(
      new HttpRequest({
        method: request.method,
        protocol: 'http:',
        hostname: request.url.hostname,
        path: safeDecode(request.url.pathname),
        query,
        headers,
        body: request.body,
      }),
      { signingDate: signedAt, signableHeaders: new Set(signedHeaders) },
    );
    const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
    // A declared payload hash must be the body's: the signature covers the hash, not the bytes.
    const bodyMatches = declaredHash === undefined || declaredHash === bodyHash;
    if (!bodyMatches || !sameSecretText(parts.Signature ?? '', expected)) {
      return fail(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
    return { valid: true, accessKeyId };
  };
}

export type SignatureVerifier = ReturnType<typeof signatureVerifier>;

const stamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The path as the client signed it (the signer encodes it again). */
function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
