// The local runtime's audit seal: an Ed25519 key generated once into DATA_DIR (0600; one per
// process without DATA_DIR) and the export folder, AUDIT_EXPORT_DIR or DATA_DIR/audit-export.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileAuditExport } from '../../functions/adapters/audit/file-export.js';
import { LocalAuditSigner } from '../../functions/adapters/audit/local-signer.js';
import type { Overrides } from '../../functions/wiring.js';
import { privateDir, writePrivateFile } from './data-dir.js';

const KEY_FILE = 'audit-signing-key.pem';

const newKeyPem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function signingKeyPem(dataDir: string | undefined): string {
  if (!dataDir) return newKeyPem();
  const file = join(dataDir, KEY_FILE);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const pem = newKeyPem();
    privateDir(dataDir);
    writePrivateFile(file, pem);
    return pem;
  }
}

export function localAuditSeal(
  dataDir: string | undefined,
  env: NodeJS.ProcessEnv,
): Pick<Overrides, 'auditSigner' | 'auditExport'> {
  const exportDir = env.AUDIT_EXPORT_DIR?.trim() || (dataDir && join(dataDir, 'audit-export'));
  if (exportDir) privateDir(exportDir);
  return {
    auditSigner: new LocalAuditSigner(signingKeyPem(dataDir)),
    ...(exportDir && { auditExport: new FileAuditExport(exportDir) }),
  };
}
