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
  /** Carries out (or undoes) remediation through connectors. */
  readonly usesConnectors: boolean;
  /** Asks the approval policies (Cedar): its bundle carries the engine and the policy file. */
  readonly usesApprovalPolicies?: boolean;
}

interface TaskFunction extends FunctionEntry {
  /** Its ARN's placeholder in statemachines/investigation.asl.json. */
  readonly placeholder: string;
}

type Grants = Partial<Pick<FunctionEntry, 'sendsTaskCallbacks' | 'usesConnectors'>>;

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
    placeholder: `${id}FunctionArn` as const,
  }) satisfies TaskFunction;

/** Every function the investigation state machine invokes. */
export const TASK_FUNCTIONS = [
  task('Investigate', 'investigate', 'Analyzes the evidence and records every proposed action'),
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
    usesConnectors: false,
  },
  read: {
    id: 'read',
    usesApprovalPolicies: true,
    entry: 'functions/api/read.ts',
    description: 'The GET routes of the API',
    timeoutSeconds: 10,
    table: 'readOnly',
    sendsTaskCallbacks: false,
    usesConnectors: false,
  },
  decide: {
    id: 'decide',
    usesApprovalPolicies: true,
    entry: 'functions/api/decide.ts',
    description: 'Approve, reject, bulk decisions, undo',
    // Bulk decisions settle up to 100 task tokens (API Gateway waits at most 29 s).
    timeoutSeconds: 29,
    table: 'readWrite',
    sendsTaskCallbacks: true,
    // Undo runs the connector's reverse operation.
    usesConnectors: true,
  },
  reconcile: {
    id: 'reconcile',
    entry: 'functions/workflow/reconcile.ts',
    description: 'Re-sends the wakes of decisions still owed to their investigation',
    timeoutSeconds: 120,
    table: 'readWrite',
    sendsTaskCallbacks: true,
    usesConnectors: false,
  },
  executionStatus: {
    id: 'executionStatus',
    entry: 'functions/workflow/execution-status.ts',
    description: 'Ends an investigation whose execution failed, timed out or was stopped',
    // Closes every open action of the investigation, one conditional write and audit entry each.
    timeoutSeconds: 120,
    table: 'readWrite',
    sendsTaskCallbacks: false,
    usesConnectors: false,
  },
} as const satisfies Record<string, FunctionEntry>;

export type ServiceFunctionId = keyof typeof SERVICE_FUNCTIONS;

export const ALL_FUNCTIONS: readonly FunctionEntry[] = [
  ...Object.values(SERVICE_FUNCTIONS),
  ...TASK_FUNCTIONS,
];
