// The one way a Lambda function is declared: runtime, architecture, bundling, tracing, logging and
// table access are fixed here, so every function of the app is deployed the same way.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  AssetHashType,
  DockerImage,
  Duration,
  type RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  Code,
  type IDestination,
  Function as LambdaFunction,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { keys } from '../../../functions/adapters/dynamodb/keys.js';
import { INDEXES } from '../../../functions/adapters/dynamodb/table.js';
import type { AuditAccess } from '../../../functions/entries.js';
import { METRICS_NAMESPACE } from '../../../functions/metric-names.js';
import { bundleOutputs, ENTRY_FILE, esbuildOptions } from '../bundling.js';
import { REPO_ROOT } from '../paths.js';

/**
 * What a function may do with the table, by intent:
 * - `readOnly`: Get, Query (table and indexes).
 * - `readWrite`: reads, plus Put and Update. Nobody gets DeleteItem: DynamoDB TTL is the only
 *   deleter. Audit entries are append-only: an explicit Deny on Update/Delete for the `AUDIT`
 *   partition, so a writer can add an entry (a conditional Put on the next seq) but never
 *   rewrite one. (An overwriting Put cannot be told apart by IAM; the hash chain reveals it.)
 * - `appendAuditOnly`: reads and Puts limited to the `AUDIT` partition.
 */
export type TableAccess = 'readOnly' | 'readWrite' | 'appendAuditOnly';

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem'];
/** Never allowed on the audit partition, whatever else a statement allows. */
export const AUDIT_IMMUTABLE_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** The chain and its signed checkpoints: only the appenders put there, nobody changes them. */
export const AUDIT_PARTITIONS = [keys.auditPartition, keys.auditCheckpointPartition];

export const XRAY_REASON =
  'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so CDK grants them on "*".';

/** Settings every function of the app shares (from the app's parameters). */
export interface FunctionDefaults {
  readonly serviceName: string;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** `none`: a stub handler instead of the esbuild bundle (template tests only). */
  readonly bundling: 'esbuild' | 'none';
  /** Environment every function gets (the table, the workflow settings of functions/config.ts). */
  readonly environment: Record<
    string,
    string
  > /** Files every function gets beside its bundle (e.g. the asset groups). */;
  readonly files?: readonly BundledFile[];
}

export interface ActionCenterFunctionProps {
  readonly defaults: FunctionDefaults;
  /** The handler file, relative to the repository root (e.g. `functions/api/read.ts`). */
  readonly entry: string;
  /** The exported handler name. */
  readonly handler?: string;
  readonly description: string;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
  readonly table?: {
    readonly table: ITable;
    readonly key: IKey;
    readonly access: TableAccess;
    /** Its hold on the audit chain (functions/entries.ts); none: kept off it. */
    readonly audit?: AuditAccess;
  };
  /** Where an asynchronous invocation goes after Lambda's own retries (EventBridge targets). */
  readonly onFailure?: IDestination;
  /** Files copied beside the bundle (`/var/task/<name>`): the Cedar engine, policy files. */
  readonly files?: readonly BundledFile[];
}

export interface BundledFile {
  /** An absolute path on the machine that synthesizes. */
  readonly source: string;
  /** Its name beside the bundle. */
  readonly name: string;
}

export class ActionCenterFunction extends Construct {
  static readonly RUNTIME = Runtime.NODEJS_24_X;
  static readonly ARCHITECTURE = Architecture.ARM_64;

  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly tableAccess?: TableAccess;

  constructor(scope: Construct, id: string, props: ActionCenterFunctionProps) {
    super(scope, id);
    const { defaults } = props;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: defaults.logRetention,
      removalPolicy: defaults.removalPolicy,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: it may write to its log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (Lambda execution role)`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const common = {
      description: props.description,
      runtime: ActionCenterFunction.RUNTIME,
      architecture: ActionCenterFunction.ARCHITECTURE,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      onFailure: props.onFailure,
      environment: {
        POWERTOOLS_SERVICE_NAME: defaults.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        LOG_LEVEL: defaults.logLevel,
        POWERTOOLS_LOG_LEVEL: defaults.logLevel,
        ...defaults.environment,
        ...props.environment,
      },
    };
    const handler = props.handler ?? 'handler';
    const files = [...(defaults.files ?? []), ...(props.files ?? [])];
    this.function =
      defaults.bundling === 'none'
        ? new LambdaFunction(this, 'Function', {
            ...common,
            handler: `index.${handler}`,
            code: Code.fromInline(
              `exports.${handler} = async () => { throw new Error('stub of ${props.entry}'); };`,
            ),
            environment: { ...common.environment, NODE_OPTIONS: '--enable-source-maps' },
          })
        : new LambdaFunction(this, 'Function', {
            ...common,
            handler: `index.${handler}`,
            code: esbuildCode(props.entry, files),
          });

    if (props.table) {
      this.tableAccess = props.table.access;
      grantTableAccess(this.role, props.table);
    }

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: XRAY_REASON,
    });
  }
}

/**
 * The entry bundled with esbuild at synth (infra/aws/bundling.ts), code split: CDK's
 * NodejsFunction writes one `--outfile`, and esbuild splits only into an `outdir`. Built in this
 * process, never in Docker, so `cdk synth` works offline. Beside the chunks: the metafile (what a
 * cold start loads, for the tests) and `files`.
 */
function esbuildCode(entry: string, files: readonly BundledFile[]): Code {
  return Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('dummy'),
      // What is bundled, in the options: CDK reuses a staged asset for equal bundling options,
      // and the `local` bundler below is left out of that comparison.
      environment: {
        ENTRY: entry,
        FILES: files.map((f) => `${f.source}:${f.name}`).join(','),
      },
      local: {
        tryBundle(outputDir) {
          const result = buildSync({
            ...esbuildOptions(resolve(REPO_ROOT, entry), outputDir),
            write: true,
            logLevel: 'warning',
          });
          const metafile = result.metafile as NonNullable<typeof result.metafile>;
          writeFileSync(join(outputDir, 'index.meta.json'), JSON.stringify(metafile));
          for (const f of files) copyFileSync(f.source, join(outputDir, f.name));
          const { loadedAtStart, all } = bundleOutputs(metafile);
          const kib = (paths: string[]) =>
            Math.round(paths.reduce((sum, p) => sum + (metafile.outputs[p]?.bytes ?? 0), 0) / 1024);
          process.stderr.write(
            `${entry} -> ${ENTRY_FILE}: ${kib(loadedAtStart)} KiB loaded at a cold start, ${kib(all)} KiB in ${all.length} chunks\n`,
          );
          return true;
        },
      },
    },
  });
}

function grantTableAccess(
  role: Role,
  { table, key, access, audit }: NonNullable<ActionCenterFunctionProps['table']>,
): void {
  const { region } = Stack.of(role);
  const indexes = INDEXES.map(({ name }) => `${table.tableArn}/index/${name}`);
  const viaDynamoDb = { StringEquals: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } };
  const onlyAudit = {
    'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [keys.auditPartition] },
  };
  const writes = access !== 'readOnly';

  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ReadTable',
      actions: READ_ACTIONS,
      resources: [table.tableArn, ...indexes],
      ...(access === 'appendAuditOnly' && { conditions: onlyAudit }),
    }),
  );
  if (writes) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: access === 'appendAuditOnly' ? 'AppendAudit' : 'WriteItems',
        actions: access === 'appendAuditOnly' ? ['dynamodb:PutItem'] : WRITE_ACTIONS,
        resources: [table.tableArn],
        ...(access === 'appendAuditOnly' && { conditions: onlyAudit }),
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AuditIsAppendOnly',
        effect: Effect.DENY,
        actions: AUDIT_IMMUTABLE_ACTIONS,
        resources: [table.tableArn],
        conditions: { 'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': AUDIT_PARTITIONS } },
      }),
    );
    if (access === 'readWrite') denyAuditWrites(role, table, audit);
  }
  // The table's customer managed key, only through DynamoDB (mirrors CDK's table grants).
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'UseTableKey',
      actions: writes
        ? [
            'kms:Decrypt',
            'kms:DescribeKey',
            'kms:Encrypt',
            'kms:ReEncryptFrom',
            'kms:ReEncryptTo',
            'kms:GenerateDataKey',
            'kms:GenerateDataKeyWithoutPlaintext',
          ]
        : ['kms:Decrypt', 'kms:DescribeKey'],
      resources: [key.keyArn],
      conditions: viaDynamoDb,
    }),
  );
}

/**
 * Keeps a writer off the partitions its audit access does not name (an explicit Deny, which no
 * Allow overrides), and every writer off `expiresAt` there: audit items carry no TTL.
 */
function denyAuditWrites(role: Role, table: ITable, audit: AuditAccess | undefined): void {
  const closed = AUDIT_PARTITIONS.filter(
    (pk) =>
      !(pk === keys.auditPartition && audit !== undefined) &&
      !(pk === keys.auditCheckpointPartition && audit === 'seals'),
  );
  if (closed.length > 0) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'NotAnAuditAppender',
        effect: Effect.DENY,
        actions: ['dynamodb:PutItem', ...AUDIT_IMMUTABLE_ACTIONS],
        resources: [table.tableArn],
        conditions: { 'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': closed } },
      }),
    );
  }
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'AuditHasNoTtl',
      effect: Effect.DENY,
      actions: ['dynamodb:PutItem', ...AUDIT_IMMUTABLE_ACTIONS],
      resources: [table.tableArn],
      conditions: {
        'ForAnyValue:StringEquals': {
          'dynamodb:LeadingKeys': AUDIT_PARTITIONS,
          'dynamodb:Attributes': ['expiresAt'],
        },
      },
    }),
  );
}
