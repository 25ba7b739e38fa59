// Every Lambda function of the Action Center: its entry file and what it may touch. The one list
// the CDK app, the local runtime, the bench and the tests read. An entry file holds only wiring
// and exports `wire(config, overrides)` and `handler` (functions/wiring.ts `lambdaHandler`).

export interface FunctionEntry {
  /** The function's short name (a workflow task's name is its state in the ASL). */
  readonly id: string;
  /** The entry file, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly table: 'readOnly' | 'readWrite';
  /** Calls SendTaskSuccess / SendTaskFailure on the investigation's waits. */
  readonly sendsTaskCallbacks: boolean;
  /** Asks the approval policies (Cedar): its bundle carries the engine and the policy file. */
  readonly usesApprovalPolicies?: boolean;
  /**
   * Its hold on the audit chain: `seals` is the one appender's, which moves owed records into the
   * AUDIT partition (PutItem only) and signs checkpoints into AUDIT_CHECKPOINT. Every other role is
   * kept off both.
   */
  readonly audit?: AuditAccess;
}

export type AuditAccess = 'seals';

interface TaskFunction extends FunctionEntry {
  /** Carries out (and undoes) remediation through connectors: Advance only. */
  readonly usesConnectors: boolean;
  /** Its ARN's placeholder in statemachines/investigation.asl.json. */
  readonly placeholder: string;
}

type Grants = Partial<
  Pick<TaskFunction, 'sendsTaskCallbacks' | 'usesConnectors' | 'audit' | 'usesApprovalPolicies'>
>;

const task = <Id extends string>(id: Id, file: string, description: string, grants: Grants = {}) =>
  ({
    id,
    entry: `functions/workflow/${file}.ts`,
    description,
    // A pass of Advance stops starting connector calls after 60 s; a call may take 25 s more.
    timeoutSeconds: grants.usesConnectors ? 120 : 30,
    table: 'readWrite',
    sendsTaskCallbacks: grants.sendsTaskCallbacks ?? false,
    usesConnectors: grants.usesConnectors ?? false,
    ...(grants.audit && { audit: grants.audit }),
    ...(grants.usesApprovalPolicies && { usesApprovalPolicies: true }),
    placeholder: `${id}FunctionArn` as const,
  }) satisfies TaskFunction;

/** Every function the investigation state machine invokes. */
export const TASK_FUNCTIONS = [
  task('Investigate', 'investigate', 'Analyzes the evidence and records every proposed action', {
    // The policies' `quorum` rules, when the policy file has any (the engine loads only then).
    usesApprovalPolicies: true,
  }),
  task('AwaitDecisions', 'await-decisions', "Registers the investigation's one wait (task token)", {
    sendsTaskCallbacks: true,
  }),
  task('Advance', 'advance', 'Expiries, remediation through connectors, investigation status', {
    usesConnectors: true,
  }),
] as const;

export type TaskFunctionId = (typeof TASK_FUNCTIONS)[number]['id'];

/** The functions around the workflow: alert ingest, the API, the reconciler and execution endings. */
export const SERVICE_FUNCTIONS = {
  ingest: {
    id: 'ingest',
    entry: 'functions/ingest/ingest.ts',
    description: 'Maps an alert source event and starts (or updates) its investigation',
    timeoutSeconds: 30,
    // Records the investigation once (conditional put), then starts its execution; an updated
    // finding's evidence wakes the investigation's wait.
    table: 'readWrite',
    sendsTaskCallbacks: true,
  },
  read: {
    id: 'read',
    usesApprovalPolicies: true,
    entry: 'functions/api/read.ts',
    description: 'The GET routes of the API',
    timeoutSeconds: 10,
    table: 'readOnly',
    sendsTaskCallbacks: false,
  },
  decide: {
    id: 'decide',
    usesApprovalPolicies: true,
    entry: 'functions/api/decide.ts',
    // Undo is recorded here and carried out by the workflow's Advance: no connector rights.
    description: 'Approve, reject, bulk decisions, undo requests',
    // Bulk decisions settle up to 100 task tokens (API Gateway waits at most 29 s).
    timeoutSeconds: 29,
    table: 'readWrite',
    // Wakes investigations; an undo of a concluded one starts its execution again.
    sendsTaskCallbacks: true,
  },
  reconcile: {
    id: 'reconcile',
    entry: 'functions/workflow/reconcile.ts',
    description: 'Re-sends the wakes of decisions still owed to their investigation',
    timeoutSeconds: 120,
    table: 'readWrite',
    // The one appender of the audit chain (on the table's stream and on its schedule), which signs
    // the checkpoints.
    audit: 'seals',
    sendsTaskCallbacks: true,
  },
  notify: {
    id: 'notify',
    entry: 'functions/notify/notify.ts',
    description: 'Sends new pending actions to the notification channels, with decision links',
    // A channel's retries: up to 4 calls of 10 s each, with backoff.
    timeoutSeconds: 120,
    // Reads investigations and their actions; writes only its batch claims.
    table: 'readWrite',
    sendsTaskCallbacks: false,
  },
  executionStatus: {
    id: 'executionStatus',
    entry: 'functions/workflow/execution-status.ts',
    description: 'Ends an investigation whose execution failed, timed out or was stopped',
    // Closes every open action of the investigation, one conditional write (owing its audit record) each.
    timeoutSeconds: 120,
    table: 'readWrite',
    sendsTaskCallbacks: false,
  },
} as const satisfies Record<string, FunctionEntry>;

export type ServiceFunctionId = keyof typeof SERVICE_FUNCTIONS;

/** The Defender alert poller: deployed and run only when the Defender tenant is set. */
export const DEFENDER_POLLER = {
  id: 'defenderPoller',
  entry: 'functions/ingest/defender-alerts.ts',
  description: 'Reads the alerts Microsoft Graph changed and publishes them to the bus',
  // Stops starting pages 30 s before the end; the next scheduled run resumes.
  timeoutSeconds: 120,
  // Only its own watermark item (and rejected alerts too large to publish): CDK narrows it.
  table: 'readWrite',
  sendsTaskCallbacks: false,
} as const satisfies FunctionEntry;

export const ALL_FUNCTIONS: readonly FunctionEntry[] = [
  ...Object.values(SERVICE_FUNCTIONS),
  ...TASK_FUNCTIONS,
  DEFENDER_POLLER,
];
