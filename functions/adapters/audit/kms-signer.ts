// The audit signer in AWS: an asymmetric KMS key (ECC_NIST_P256, ECDSA_SHA_256) whose private
// half never leaves KMS; only the appender's role may call kms:Sign on it.
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { AuditSigner } from '../../core/audit-seal-ports.js';

export class KmsAuditSigner implements AuditSigner {
  private publicKey?: Promise<string>;

  constructor(
    private readonly keyId: string,
    private readonly kms: KMSClient,
  ) {}

  /** A DER-encoded ECDSA signature over SHA-256 of the bytes (KMS hashes them). */
  async sign(bytes: Buffer): Promise<Buffer> {
    const out = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: bytes,
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    if (!out.Signature) throw new Error(`KMS answered no signature for ${this.keyId}`);
    return Buffer.from(out.Signature);
  }

  /** The key's SubjectPublicKeyInfo (DER) as PEM, read once per function instance. */
  publicKeyPem(): Promise<string> {
    this.publicKey ??= this.kms
      .send(new GetPublicKeyCommand({ KeyId: this.keyId }))
      .then((out) => {
        if (!out.PublicKey) throw new Error(`KMS answered no public key for ${this.keyId}`);
        const lines =
          Buffer.from(out.PublicKey)
            .toString('base64')
            .match(/.{1,64}/g) ?? [];
        return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
      })
      .catch((error: unknown) => {
        // A failed read is not kept: the next call asks again.
        this.publicKey = undefined;
        throw error;
      });
    return this.publicKey;
  }
}
