// The Systems Manager connector's commands: which of our SSM documents an action runs, with which
// parameters. Every parameter is checked here against the same patterns the documents declare
// (`allowedPattern`, infra/aws/constructs/ssm-documents.ts), so alert data can never reach a
// script as anything but an inert, single-quoted value. Pure: no AWS SDK.
import type { Action, ActionType } from './model.js';
import { ConnectorPermanentError } from './workflow-errors.js';

/** The action types the `ssm` connector carries out on a managed node. */
export const SSM_CONNECTOR_TYPES = [
  'quarantineFile',
  'killProcess',
  'stopService',
  'disableDriver',
  'removeRegistryKey',
  'removeScheduledTask',
] as const satisfies ActionType[];
export type SsmActionType = (typeof SSM_CONNECTOR_TYPES)[number];

export const SSM_PLATFORMS = ['Linux', 'Windows'] as const;
/** How long a document's script may run on the node (its step's `timeoutSeconds`). */
export const SSM_SCRIPT_TIMEOUT_SECONDS = 600;
export type SsmPlatform = (typeof SSM_PLATFORMS)[number];

/**
 * The values a parameter may take: a whitelist of characters without quotes, `$`, backticks,
 * semicolons, pipes, redirections or line breaks. Written in the regex syntax both JavaScript
 * and SSM's `allowedPattern` read.
 */
export const SSM_PARAMETER_PATTERNS = {
  operation: '^(execute|undo)$',
  actionId: '^act-[0-9a-f]{20}-[0-9a-f]{12}$',
  /** An absolute path: `/…` or `C:\…`. */
  path: '^(/|[A-Za-z]:\\\\)[A-Za-z0-9 _.,()@+=~#%!/\\\\-]{0,1023}$',
  sha256: '^([0-9a-f]{64})?$',
  pid: '^[1-9][0-9]{0,9}$',
  startTime:
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$',
  serviceName: '^[A-Za-z0-9_][A-Za-z0-9_.@:+-]{0,255}$',
  driverName: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
  keyPath:
    '^(HKLM|HKCU|HKU|HKCR|HKCC|HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKEY_USERS|HKEY_CLASSES_ROOT|HKEY_CURRENT_CONFIG)\\\\[A-Za-z0-9 _.,()@+=~#%!{}\\\\-]{1,1000}$',
  /** A Windows task path (`\Folder\Name`) or a Linux /etc/cron.d file name. */
  taskName: '^\\\\?[A-Za-z0-9_][A-Za-z0-9 _.()@+=~#%!{}\\\\-]{0,255}$',
  /** Recorded by a service's or driver's execute, given back to its undo. */
  startType: '^[A-Za-z-]{0,32}$',
  wasRunning: '^(true|false)?$',
} as const;
export type SsmParameterName = keyof typeof SSM_PARAMETER_PATTERNS;
export type SsmParameters = Partial<Record<SsmParameterName, string>>;

interface SsmDocumentSpec {
  /** The document's name after the prefix, e.g. `QuarantineFile` → `ActionCenter-QuarantineFile-Linux`. */
  name: string;
  /** The parameters besides `operation` and `actionId`; all are Strings, blank unless given. */
  parameters: SsmParameterName[];
  platforms: readonly SsmPlatform[];
  outcome: string;
  undoOutcome?: string;
}

export const SSM_DOCUMENTS: Record<SsmActionType, SsmDocumentSpec> = {
  quarantineFile: {
    name: 'QuarantineFile',
    parameters: ['path', 'sha256'],
    platforms: SSM_PLATFORMS,
    outcome: 'FileQuarantined',
    undoOutcome: 'FileRestored',
  },
  killProcess: {
    name: 'KillProcess',
    parameters: ['pid', 'startTime', 'path'],
    platforms: SSM_PLATFORMS,
    outcome: 'ProcessKilled',
  },
  stopService: {
    name: 'StopService',
    parameters: ['serviceName', 'startType', 'wasRunning'],
    platforms: SSM_PLATFORMS,
    outcome: 'ServiceStopped',
    undoOutcome: 'ServiceRestored',
  },
  disableDriver: {
    name: 'DisableDriver',
    parameters: ['driverName', 'startType', 'wasRunning'],
    platforms: SSM_PLATFORMS,
    outcome: 'DriverDisabled',
    undoOutcome: 'DriverRestored',
  },
  removeRegistryKey: {
    name: 'RemoveRegistryKey',
    parameters: ['keyPath'],
    platforms: ['Windows'],
    outcome: 'RegistryKeyRemoved',
    undoOutcome: 'RegistryKeyRestored',
  },
  removeScheduledTask: {
    name: 'RemoveScheduledTask',
    parameters: ['taskName'],
    platforms: SSM_PLATFORMS,
    outcome: 'ScheduledTaskRemoved',
    undoOutcome: 'ScheduledTaskRestored',
  },
};

/** A document's full name: one per action type and platform, e.g. `ActionCenter-KillProcess-Windows`. */
export const ssmDocumentName = (prefix: string, type: SsmActionType, platform: SsmPlatform) =>
  `${prefix}-${SSM_DOCUMENTS[type].name}-${platform}`;

export const isSsmActionType = (type: ActionType): type is SsmActionType =>
  (SSM_CONNECTOR_TYPES as readonly string[]).includes(type);

const MANAGED_NODE = /^(i-[0-9a-f]{8,17}|mi-[0-9a-f]{17})$/;

/** The managed node an action runs on: an EC2 instance (`i-…`) or a hybrid node (`mi-…`). */
export function managedNodeOf(action: Action): string {
  const { deviceId, displayName } = action.target;
  if (deviceId !== undefined && MANAGED_NODE.test(deviceId)) return deviceId;
  throw new ConnectorPermanentError(
    `${action.type} of ${displayName}: its device ${deviceId ?? '(none)'} is not a Systems Manager managed node (i-... or mi-...)`,
  );
}

/** Throws, naming the parameter, when a value does not match its document's pattern. */
export function checkSsmParameters(parameters: SsmParameters): SsmParameters {
  for (const [name, value] of Object.entries(parameters)) {
    const pattern = SSM_PARAMETER_PATTERNS[name as SsmParameterName];
    if (!new RegExp(pattern).test(value ?? '')) {
      throw new ConnectorPermanentError(
        `Refused to send ${name} ${JSON.stringify(value).slice(0, 200)} to a node: it is not of the allowed form ${pattern}`,
      );
    }
  }
  return parameters;
}

const SHA256 = /^[0-9a-f]{64}$/i;
const PROCESS_ID = /^(\d+)@(.+)$/;

function needs(action: Action, what: string): never {
  throw new ConnectorPermanentError(
    `${action.type} of ${action.target.displayName}: the alert gave no ${what}, which Systems Manager needs`,
  );
}

/** The process's pid, start time and image path; all three, so a reused pid is never killed. */
function processParameters(action: Action): SsmParameters {
  const { pid, processStartTime, path, id } = action.target;
  const fromId = PROCESS_ID.exec(id);
  const startedInId = fromId?.[2];
  const startTime =
    processStartTime ?? (startedInId?.startsWith('unknown') ? undefined : startedInId);
  const pidText = pid !== undefined ? String(pid) : fromId?.[1];
  if (pidText === undefined) needs(action, 'process id');
  if (startTime === undefined) needs(action, 'process start time');
  if (path === undefined) needs(action, 'process image path');
  return { pid: pidText, startTime, path };
}

/** The parameters of an action's execute, checked; the platform is the node's. */
export function ssmExecuteParameters(action: Action, platform: SsmPlatform): SsmParameters {
  const type = ssmTypeOf(action);
  if (!SSM_DOCUMENTS[type].platforms.includes(platform)) {
    throw new ConnectorPermanentError(
      `${type} applies to Windows nodes only; ${action.target.deviceId} is ${platform}`,
    );
  }
  const { id, path, sha256 } = action.target;
  const base = { operation: 'execute', actionId: action.id };
  switch (type) {
    case 'quarantineFile': {
      const file = path ?? (id.startsWith('/') || /^[A-Za-z]:\\/.test(id) ? id : undefined);
      if (file === undefined) needs(action, 'file path');
      const hash = sha256 ?? (SHA256.test(id) ? id.toLowerCase() : '');
      return checkSsmParameters({ ...base, path: file, sha256: hash });
    }
    case 'killProcess':
      return checkSsmParameters({ ...base, ...processParameters(action) });
    case 'stopService':
      return checkSsmParameters({ ...base, serviceName: id });
    case 'disableDriver':
      return checkSsmParameters({ ...base, driverName: id });
    case 'removeRegistryKey':
      return checkSsmParameters({ ...base, keyPath: id });
    case 'removeScheduledTask':
      return checkSsmParameters({ ...base, taskName: id });
  }
}

/**
 * What an execute recorded: the last line of the command's output, a JSON object the scripts
 * print (e.g. `{"path":…,"sha256":…,"platform":"Linux"}`), kept as the action's result detail.
 */
export function ssmRecordOf(action: Action): Record<string, unknown> {
  const lines = (action.result?.detail ?? '').trim().split('\n');
  try {
    const record: unknown = JSON.parse(lines[lines.length - 1] ?? '');
    if (typeof record === 'object' && record !== null && !Array.isArray(record)) {
      return record as Record<string, unknown>;
    }
  } catch {
    // Falls through to the refusal: undo never guesses what to restore.
  }
  return noRecord(action);
}

function noRecord(action: Action): never {
  throw new ConnectorPermanentError(
    `Cannot undo ${action.type} of ${action.target.displayName}: its result records no change to reverse`,
  );
}

const recorded = (record: Record<string, unknown>, key: string): string =>
  typeof record[key] === 'string' || typeof record[key] === 'boolean' ? String(record[key]) : '';

/**
 * The parameters of an action's undo, from its recorded result only (never from the node's
 * state or tags), checked like an execute's; the platform is the one the execute ran on.
 */
export function ssmUndoParameters(action: Action): {
  platform: SsmPlatform;
  parameters: SsmParameters;
} {
  const type = ssmTypeOf(action);
  if (SSM_DOCUMENTS[type].undoOutcome === undefined) {
    throw new ConnectorPermanentError(`${type} cannot be undone`);
  }
  const record = ssmRecordOf(action);
  const platform = SSM_PLATFORMS.find((p) => p === record.platform);
  if (platform === undefined) noRecord(action);
  const base = { operation: 'undo', actionId: action.id };
  const fields = SSM_DOCUMENTS[type].parameters.filter(
    (p) => p !== 'startType' && p !== 'wasRunning',
  );
  const parameters: SsmParameters = { ...base };
  for (const field of fields) parameters[field] = recorded(record, field);
  if (type === 'stopService' || type === 'disableDriver') {
    parameters.startType = recorded(record, 'startType');
    parameters.wasRunning = recorded(record, 'wasRunning');
  }
  return { platform, parameters: checkSsmParameters(parameters) };
}

function ssmTypeOf(action: Action): SsmActionType {
  if (!isSsmActionType(action.type)) {
    throw new ConnectorPermanentError(`ssm connector does not handle ${action.type}`);
  }
  return action.type;
}
