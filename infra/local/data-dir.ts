// The data directory holds task tokens, the JWT and cursor secrets and every action: only the
// runtime's own user may read it (directories 0700, files 0600), whatever the process umask.
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  appendFileSync,
  chmodSync,
  constants,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { logger } from '../../functions/observability.js';
import { StartupError } from './startup-error.js';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Writes (or replaces) a file only its owner may read; chmod too, since `mode` only applies on creation. */
export function writePrivateFile(path: string, data: string): void {
  writeFileSync(path, data, { mode: PRIVATE_FILE_MODE });
  chmodSync(path, PRIVATE_FILE_MODE);
}

/** Appends to a file created owner-only (an existing one was tightened at start). */
export function appendPrivateFile(path: string, data: string): void {
  appendFileSync(path, data, { mode: PRIVATE_FILE_MODE });
}

/** A directory only its owner may enter, created or tightened. */
export function privateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(path, PRIVATE_DIR_MODE);
}

/** Narrows every directory to 0700 and every file to 0600 under `root`; the paths it changed. */
export function tightenTree(root: string): string[] {
  const changed: string[] = [];
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((stat.mode & 0o777) !== wanted) {
      chmodSync(path, wanted);
      changed.push(path);
    }
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return changed;
}

/** Creates the data directory private, or tightens an existing one (with a log line); checks it is writable. */
export function preparePrivateDataDir(dataDir: string): void {
  try {
    privateDir(dataDir);
    const changed = tightenTree(dataDir);
    if (changed.length > 0) {
      logger.warn(
        'DATA_DIR was readable by other users: narrowed to 0700 (directories) and 0600 (files)',
        {
          dataDir,
          changed: changed.length,
        },
      );
    }
    accessSync(dataDir, constants.W_OK);
    writePrivateFile(join(dataDir, '.write-check'), '');
  } catch (error) {
    throw new StartupError(
      `DATA_DIR ${dataDir} is not usable: ${(error as Error).message}. Set DATA_DIR to a writable directory.`,
    );
  }
}

/** A random secret kept in the data directory: generated once into an owner-only file. */
export function storedSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomSecret();
    privateDir(dataDir);
    writePrivateFile(file, `${secret}\n`);
    return secret;
  }
}

/** 32 random bytes, base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
