// Table access by intent, as the function construct grants it: read-only, read-write with an
// append-only audit log, and append-audit-only.
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ActionCenterFunction,
  type TableAccess,
} from '../../../../infra/aws/constructs/action-center-function.js';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Condition?: Record<string, unknown>;
}

const ACCESSES: TableAccess[] = ['readOnly', 'readWrite', 'appendAuditOnly'];
let statements: Record<TableAccess, Statement[]>;

beforeAll(() => {
  const stack = new Stack(new App(), 'Access', {
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  const key = new Key(stack, 'Key');
  const table = new Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
  });
  const roles = Object.fromEntries(
    ACCESSES.map((access) => {
      const fn = new ActionCenterFunction(stack, access, {
        defaults: {
          serviceName: 'action-center',
          logLevel: 'INFO',
          logRetention: RetentionDays.ONE_WEEK,
          removalPolicy: RemovalPolicy.DESTROY,
          bundling: 'none',
          environment: {},
        },
        entry: 'functions/api/read.ts',
        description: access,
        table: { table, key, access },
      });
      return [access, stack.getLogicalId(fn.role.node.defaultChild as never)];
    }),
  );
  const policies = Object.values(
    Template.fromStack(stack).findResources('AWS::IAM::Policy') as Record<
      string,
      { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } }
    >,
  );
  statements = Object.fromEntries(
    ACCESSES.map((access) => [
      access,
      policies
        .filter((p) => p.Properties.Roles.some((r) => r.Ref === roles[access]))
        .flatMap((p) => p.Properties.PolicyDocument.Statement),
    ]),
  ) as Record<TableAccess, Statement[]>;
});

const dynamoActions = (list: Statement[], effect: string) =>
  list
    .filter((s) => s.Effect === effect)
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .filter((a) => a.startsWith('dynamodb:'))
    .sort();
const auditOnly = { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['AUDIT'] } };

it('read-only reads, and may only decrypt through DynamoDB', () => {
  expect(dynamoActions(statements.readOnly, 'Allow')).toEqual([
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:GetItem',
    'dynamodb:Query',
  ]);
  expect(statements.readOnly.find((s) => s.Sid === 'UseTableKey')).toMatchObject({
    Action: ['kms:Decrypt', 'kms:DescribeKey'],
    Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } },
  });
});

it('read-write puts and updates, deletes nothing, and never rewrites the audit log', () => {
  expect(dynamoActions(statements.readWrite, 'Allow')).toEqual([
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
  ]);
  // Kept off the audit chain and its checkpoints (no audit access named), and off expiresAt there.
  const denied = statements.readWrite.filter((s) => s.Effect === 'Deny');
  expect(denied.map((s) => s.Sid).sort()).toEqual([
    'AuditHasNoTtl',
    'AuditIsAppendOnly',
    'NotAnAuditAppender',
  ]);
  expect(denied.find((s) => s.Sid === 'AuditIsAppendOnly')?.Action).toEqual([
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ]);
  expect(denied.find((s) => s.Sid === 'NotAnAuditAppender')).toMatchObject({
    Action: [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ],
    Condition: {
      'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': ['AUDIT', 'AUDIT_CHECKPOINT'] },
    },
  });
});

it('append-audit-only reads and puts in the AUDIT partition only', () => {
  const allowed = statements.appendAuditOnly.filter(
    (s) => s.Effect === 'Allow' && JSON.stringify(s.Action).includes('dynamodb:'),
  );
  expect(allowed.map((s) => s.Condition)).toEqual([auditOnly, auditOnly]);
  expect(dynamoActions(statements.appendAuditOnly, 'Allow')).toEqual([
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
  ]);
});
