// `npm run audit:verify -- <export folder | s3://bucket/prefix> --public-key <file.pem>`: checks an
// audit export offline with only the verification key (GET /audit/public-key), like
// `aws cloudtrail validate-logs`. An S3 export is read with the caller's AWS credentials.
// Exit 0: intact; 1: the first entry modified, deleted, inserted or reordered is named; 2: usage.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { FileAuditExport } from '../../functions/adapters/audit/file-export.js';
import { S3AuditExport } from '../../functions/adapters/audit/s3-export.js';
import {
  type ExportSegment,
  type ExportVerdict,
  type SignedCheckpoint,
  verifyExport,
} from '../../functions/core/audit-checkpoint.js';
import { type ExportSegmentFiles, entriesOfNdjson } from '../../functions/core/audit-seal-ports.js';

const USAGE =
  'Usage: npm run audit:verify -- <export folder | s3://bucket/prefix> --public-key <file.pem>';

export class UsageError extends Error {}

/** Reads the folder's checkpoints and entries; a file that does not parse was modified. */
export function verifyExportFolder(folder: string, publicKeyPem: string): ExportVerdict {
  return verifySegmentFiles(new FileAuditExport(folder).segmentFiles(), publicKeyPem);
}

/** The same check over an S3 export (`s3://bucket/prefix`), read with ListObjectsV2 and GetObject. */
export async function verifyExportBucket(
  url: string,
  publicKeyPem: string,
  s3: S3Client = new S3Client({}),
): Promise<ExportVerdict> {
  const { bucket, prefix } = s3Location(url);
  const files = await new S3AuditExport({ bucket, prefix }, s3).segmentFiles();
  return verifySegmentFiles(files, publicKeyPem);
}

export function s3Location(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match?.[1]) throw new UsageError(USAGE);
  return { bucket: match[1], prefix: match[2] ?? '' };
}

function verifySegmentFiles(
  stored: readonly ExportSegmentFiles[],
  publicKeyPem: string,
): ExportVerdict {
  const segments: ExportSegment[] = [];
  for (const files of stored) {
    let checkpoint: SignedCheckpoint;
    try {
      checkpoint = JSON.parse(files.checkpoint) as SignedCheckpoint;
    } catch {
      return unreadable(segments, `checkpoints/${files.seq} is not JSON (modified)`);
    }
    try {
      segments.push({
        checkpoint,
        entries: files.entries === undefined ? undefined : entriesOfNdjson(files.entries),
      });
    } catch {
      return unreadable(segments, `entries/${files.seq} is not NDJSON (modified)`);
    }
  }
  return verifyExport(segments, publicKeyPem);
}

function unreadable(before: ExportSegment[], problem: string): ExportVerdict {
  return {
    ok: false,
    checked: 0,
    checkpoints: before.length,
    firstBrokenSeq: (before.at(-1)?.checkpoint.seq ?? 0) + 1,
    problem,
  };
}

export function parseArguments(args: readonly string[]): { folder: string; publicKey: string } {
  const at = args.indexOf('--public-key');
  const publicKey = at === -1 ? undefined : args[at + 1];
  const rest = args.filter((_, i) => at === -1 || (i !== at && i !== at + 1));
  const folder = rest[0];
  if (!folder || !publicKey || rest.length > 1) throw new UsageError(USAGE);
  return { folder, publicKey };
}

export function describe(verdict: ExportVerdict): string {
  const last = verdict.lastCheckpoint
    ? ` (last good checkpoint: seq ${verdict.lastCheckpoint.seq} at ${verdict.lastCheckpoint.at})`
    : '';
  if (verdict.ok)
    return `Intact: ${verdict.checked} entries and ${verdict.checkpoints} signed checkpoints${last}.`;
  return `BROKEN at seq ${verdict.firstBrokenSeq}: ${verdict.problem}${last}.`;
}

async function main(args: readonly string[]): Promise<number> {
  try {
    const { folder, publicKey } = parseArguments(args);
    const pem = readFileSync(publicKey, 'utf8');
    const verdict = folder.startsWith('s3://')
      ? await verifyExportBucket(folder, pem)
      : verifyExportFolder(folder, pem);
    process.stdout.write(`${describe(verdict)}\n${JSON.stringify(verdict)}\n`);
    return verdict.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exitCode = await main(process.argv.slice(2));
