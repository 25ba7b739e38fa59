// The audit signer in AWS: an asymmetric KMS key (ECC_NIST_P256, ECDSA_SHA_256) whose private
// half never leaves KMS; only the appender's role may call kms:Sign on it.
import type { AuditSigner } from '../../core/audit-seal-ports.js';
import { type AwsTarget, awsCaller } from './aws-request.js';

export class KmsAuditSigner implements AuditSigner {
  private readonly call;
  private publicKey?: Promise<string>;

  constructor(
    private readonly keyId: string,
    target: Omit<AwsTarget, 'service'>,
  ) {
    this.call = awsCaller({ ...target, service: 'kms' });
  }

  private async kms(action: 'Sign' | 'GetPublicKey', input: Record<string, unknown>) {
    const out = await this.call({
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `TrentService.${action}`,
      },
      body: JSON.stringify({ KeyId: this.keyId, ...input }),
    });
    return JSON.parse(out.body.toString('utf8')) as Record<string, string>;
  }

  /** A DER-encoded ECDSA signature over SHA-256 of the bytes (KMS hashes them). */
  async sign(bytes: Buffer): Promise<Buffer> {
    const out = await this.kms('Sign', {
      Message: bytes.toString('base64'),
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    return Buffer.from(out.Signature ?? '', 'base64');
  }

  /** The key's SubjectPublicKeyInfo as PEM, read once per function instance. */
  publicKeyPem(): Promise<string> {
    this.publicKey ??= this.kms('GetPublicKey', {}).then((out) => {
      const lines = (out.PublicKey ?? '').match(/.{1,64}/g) ?? [];
      return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
    });
    return this.publicKey;
  }
}
