// The audit signer on one machine: an Ed25519 key held in a PEM (the local runtime keeps it in DATA_DIR).
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { AuditSigner } from '../../core/audit-seal-ports.js';

export class LocalAuditSigner implements AuditSigner {
  private readonly key;

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
  }

  async sign(bytes: Buffer): Promise<Buffer> {
    return sign(null, bytes, this.key);
  }

  async publicKeyPem(): Promise<string> {
    return createPublicKey(this.key).export({ type: 'spki', format: 'pem' }).toString();
  }
}
