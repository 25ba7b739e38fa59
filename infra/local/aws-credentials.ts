// The local AWS credentials: one access key generated once into the data directory (0600), which
// every AWS-protocol endpoint of the runtime checks signatures against (http/sigv4.ts).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateDir, writePrivateFile } from './data-dir.js';

export const CREDENTIALS_FILE = 'aws-credentials.json';

export interface LocalAwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** An access key shaped as AWS's (AKIA + 16 of A–Z2–7) and a 40-character secret. */
export function newAwsCredentials(): LocalAwsCredentials {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = [...randomBytes(16)].map((b) => alphabet[b % 32]).join('');
  return {
    accessKeyId: `AKIA${id}`,
    secretAccessKey: randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B'),
  };
}

/** The data directory's credentials, made on first use; per process when there is no data directory. */
export function localAwsCredentials(dataDir: string | undefined): LocalAwsCredentials {
  if (!dataDir) return newAwsCredentials();
  const file = join(dataDir, CREDENTIALS_FILE);
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalAwsCredentials>;
    if (stored.accessKeyId && stored.secretAccessKey) {
      return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
    }
  } catch {
    // Not made yet (or unreadable JSON): a new pair replaces it.
  }
  const made = newAwsCredentials();
  privateDir(dataDir);
  writePrivateFile(file, `${JSON.stringify(made, null, 2)}\n`);
  return made;
}

/** The shell lines that point the AWS CLI and SDKs at the runtime (`eval "$(npm run -s credentials)"`). */
export function credentialExports(
  credentials: LocalAwsCredentials,
  region: string,
  url: string,
): string {
  const lines = {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
    // The AWS CLI v1 reads only this one.
    AWS_DEFAULT_REGION: region,
    AWS_ENDPOINT_URL_EVENTBRIDGE: url,
    AWS_ENDPOINT_URL_SFN: url,
    AWS_ENDPOINT_URL_DYNAMODB: url,
  };
  return Object.entries(lines)
    .map(([name, value]) => `export ${name}='${value}'`)
    .join('\n');
}
