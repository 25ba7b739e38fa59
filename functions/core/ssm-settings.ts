// The ssm connector's settings (SSM_DOCUMENT_PREFIX, SSM_TIMEOUT_SECONDS), checked with the rest of
// the connector settings (./connector-settings.ts) at cold start and at synth.

export interface SsmConnectorSettings {
  /** Our documents are named `<prefix>-<Action>-<Platform>`, e.g. `ActionCenter-QuarantineFile-Linux`. */
  documentPrefix: string;
  /** How long a command may take, its delivery to an offline node included. */
  timeoutSeconds: number;
}

export interface SsmVariables {
  SSM_DOCUMENT_PREFIX?: string;
  SSM_TIMEOUT_SECONDS?: number;
}

export const DEFAULT_SSM_DOCUMENT_PREFIX = 'ActionCenter';
/** A node that is offline for up to an hour still gets the command. */
const DEFAULT_SSM_TIMEOUT_SECONDS = 3_600;
/** The scripts' own limit (the documents' `timeoutSeconds`) plus the shortest delivery SSM accepts. */
export const MIN_SSM_TIMEOUT_SECONDS = 900;
/** A document name is up to 128 characters: the prefix leaves room for `-RemoveScheduledTask-Windows`. */
const SSM_DOCUMENT_PREFIX_PATTERN = /^[A-Za-z0-9_.-]{3,64}$/;

/** What is wrong with the ssm settings, one problem a line; `maxSeconds` bounds any remediation. */
export function ssmSettingProblems(v: SsmVariables, maxSeconds: number): string[] {
  const problems: string[] = [];
  const prefix = v.SSM_DOCUMENT_PREFIX;
  if (prefix !== undefined && !SSM_DOCUMENT_PREFIX_PATTERN.test(prefix)) {
    problems.push('SSM_DOCUMENT_PREFIX: 3 to 64 letters, digits, _ . or -');
  }
  const seconds = v.SSM_TIMEOUT_SECONDS;
  const inRange =
    seconds === undefined ||
    (Number.isInteger(seconds) && seconds >= MIN_SSM_TIMEOUT_SECONDS && seconds <= maxSeconds);
  if (!inRange) {
    problems.push(
      `SSM_TIMEOUT_SECONDS: must be a whole number of seconds from ${MIN_SSM_TIMEOUT_SECONDS} to ${maxSeconds}`,
    );
  }
  return problems;
}

export function ssmSettingsFrom(v: SsmVariables): SsmConnectorSettings {
  return {
    documentPrefix: v.SSM_DOCUMENT_PREFIX ?? DEFAULT_SSM_DOCUMENT_PREFIX,
    timeoutSeconds: v.SSM_TIMEOUT_SECONDS ?? DEFAULT_SSM_TIMEOUT_SECONDS,
  };
}
