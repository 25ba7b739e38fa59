// The ssm connector's SSM Command documents: one per action type and platform, each a single step
// (aws:runShellScript on Linux, aws:runPowerShellScript on Windows) built at synth from the script
// files in infra/aws/ssm-documents/. Every parameter is declared with the allowedPattern the
// connector checks too (functions/core/ssm-commands.ts), and reaches the script single-quoted.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CfnDocument } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import {
  SSM_DOCUMENTS,
  SSM_PARAMETER_PATTERNS,
  SSM_SCRIPT_TIMEOUT_SECONDS,
  type SsmActionType,
  type SsmParameterName,
  type SsmPlatform,
  ssmDocumentName,
} from '../../../functions/core/ssm-commands.js';
import { REPO_ROOT } from '../paths.js';

const SCRIPTS = resolve(REPO_ROOT, 'infra/aws/ssm-documents');

const PARAMETER_HELP: Record<SsmParameterName, string> = {
  operation: 'execute, or undo (reverses what execute recorded)',
  actionId: 'The Action Center action id (names the quarantine folder)',
  path: 'Absolute path: the file to quarantine, or the image of the process to kill',
  sha256: 'The file must have this SHA-256 (blank: any)',
  pid: 'Process id',
  startTime: 'The process start time (ISO 8601): a reused pid is never killed',
  serviceName: 'Service (systemd unit or Windows service) name',
  driverName: 'Kernel module or Windows driver name',
  keyPath: 'Registry key (or value) path, e.g. HKLM\\Software\\Example',
  taskName: 'Windows task path, or a file name in /etc/cron.d',
  startType: 'Undo: the start type execute recorded',
  wasRunning: 'Undo: whether it ran before execute (true or false)',
};

/** Parameters whose value may be blank: optional on execute, or given only to undo. */
const MAY_BE_BLANK: readonly SsmParameterName[] = ['sha256', 'startType', 'wasRunning'];

/** `startTime` → `AC_START_TIME`: the variable a script reads the parameter from. */
export const scriptVariableOf = (name: SsmParameterName) =>
  `AC_${name.replace(/[A-Z]/g, (m) => `_${m}`).toUpperCase()}`;

const FOLDER: Record<SsmActionType, string> = {
  quarantineFile: 'quarantine-file',
  killProcess: 'kill-process',
  stopService: 'stop-service',
  disableDriver: 'disable-driver',
  removeRegistryKey: 'remove-registry-key',
  removeScheduledTask: 'remove-scheduled-task',
};

const linesOf = (file: string) =>
  readFileSync(resolve(SCRIPTS, file), 'utf8').trimEnd().split('\n');

/** The script a document runs: each parameter single-quoted into a variable, then the files. */
export function ssmDocumentScript(type: SsmActionType, platform: SsmPlatform): string[] {
  const names = ['operation', 'actionId', ...SSM_DOCUMENTS[type].parameters] as SsmParameterName[];
  const linux = platform === 'Linux';
  const prelude = names.map((n) =>
    linux ? `${scriptVariableOf(n)}='{{ ${n} }}'` : `$${scriptVariableOf(n)} = '{{ ${n} }}'`,
  );
  const [common, script] = linux
    ? ['linux-common.sh', `${FOLDER[type]}/linux.sh`]
    : ['windows-common.ps1', `${FOLDER[type]}/windows.ps1`];
  return [...(linux ? ['#!/bin/sh'] : []), ...prelude, ...linesOf(common), ...linesOf(script)];
}

/** The document's content (schema 2.2), as CloudFormation and SSM take it. */
export function ssmDocumentContent(type: SsmActionType, platform: SsmPlatform) {
  const spec = SSM_DOCUMENTS[type];
  const names = ['operation', 'actionId', ...spec.parameters] as SsmParameterName[];
  const parameters = Object.fromEntries(
    names.map((name) => [
      name,
      {
        type: 'String',
        description: PARAMETER_HELP[name],
        allowedPattern: SSM_PARAMETER_PATTERNS[name],
        ...(name === 'operation' && { allowedValues: ['execute', 'undo'] }),
        ...(MAY_BE_BLANK.includes(name) && { default: '' }),
      },
    ]),
  );
  return {
    schemaVersion: '2.2',
    description: `Action Center ${type} (${platform}): run by the ssm connector for an approved action.`,
    parameters,
    mainSteps: [
      {
        action: platform === 'Linux' ? 'aws:runShellScript' : 'aws:runPowerShellScript',
        name: type,
        precondition: { StringEquals: ['platformType', platform] },
        inputs: {
          runCommand: ssmDocumentScript(type, platform),
          timeoutSeconds: SSM_SCRIPT_TIMEOUT_SECONDS,
        },
      },
    ],
  };
}

export interface SsmDocumentsProps {
  /** `SSM_DOCUMENT_PREFIX`: the documents are `<prefix>-<Action>-<Platform>`. */
  readonly prefix: string;
  /** The action types routed to the ssm connector: only their documents are created. */
  readonly types: readonly SsmActionType[];
}

/** The documents, named as the connector sends them; usable in the hub and in member accounts. */
export class SsmDocuments extends Construct {
  /** Document name → the document. */
  readonly documents = new Map<string, CfnDocument>();

  constructor(scope: Construct, id: string, props: SsmDocumentsProps) {
    super(scope, id);
    for (const type of props.types) {
      for (const platform of SSM_DOCUMENTS[type].platforms) {
        const name = ssmDocumentName(props.prefix, type, platform);
        const document = new CfnDocument(this, `${SSM_DOCUMENTS[type].name}${platform}`, {
          name,
          documentType: 'Command',
          documentFormat: 'JSON',
          content: ssmDocumentContent(type, platform),
          // A named document is changed in place: a new version, the same name.
          updateMethod: 'NewVersion',
          tags: [{ key: 'actioncenter:document', value: type }],
        });
        this.documents.set(name, document);
      }
    }
  }
}
