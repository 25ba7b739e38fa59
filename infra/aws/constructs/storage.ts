// The single table (the same keys, TTL attribute and indexes as the stores and the local runtime)
// and the customer managed key that encrypts it and the alarm and notifications topics.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { INDEXES, TABLE } from '../../../functions/adapters/dynamodb/table.js';

export interface StorageProps {
  readonly removalPolicy: RemovalPolicy;
  /** Deletion protection and RETAIN (production); off only for throw-away stacks. */
  readonly retainData: boolean;
}

export class Storage extends Construct {
  /**
   * Customer managed rather than AWS managed: the key policy, not only IAM, decides who can read
   * the audit log and the pending task tokens; every use is in CloudTrail under this key; and the
   * alarm topic needs a key CloudWatch may use (AWS managed `aws/sns` does not allow it). The
   * notifications topic uses it too: its messages carry decision links and alert text.
   * Costs $1 a month plus requests (DynamoDB caches the table key, so requests are few).
   */
  readonly key: Key;
  readonly table: Table;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      description: 'Action Center: the table, the alarm topic',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
      pendingWindow: Duration.days(30),
    });
    // CloudWatch alarms publish to the encrypted topic.
    this.key.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey',
    );

    const string = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      partitionKey: string(TABLE.partitionKey),
      sortKey: string(TABLE.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: props.retainData,
      removalPolicy: props.removalPolicy,
      // The writes that owe audit records start the audit chain's one appender (the reconciler).
      stream: StreamViewType.NEW_IMAGE,
    });
    for (const index of INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
        ...(index.keysOnly && { projectionType: ProjectionType.KEYS_ONLY }),
      });
    }
  }
}
