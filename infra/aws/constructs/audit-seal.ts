// The audit chain's seal (issue #20): the asymmetric key that signs checkpoints, usable for
// signing by the appender (the reconciler) alone, and the Object Lock bucket the chain is exported to.
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectLockRetention,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AuditSealProps {
  /** How long each exported object cannot be changed or deleted (compliance mode). */
  readonly retentionDays: number;
  readonly checkpointSeconds: number;
  readonly accessLogs: IBucket;
}

const EXPORT_PREFIX = 'audit';

export class AuditSeal extends Construct {
  readonly signingKey: Key;
  readonly exportBucket: Bucket;

  private readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: AuditSealProps) {
    super(scope, id);
    this.retentionDays = props.retentionDays;
    // ECC_NIST_P256 for ECDSA_SHA_256; the private half never leaves KMS. Asymmetric keys do not rotate.
    this.signingKey = new Key(this, 'SigningKey', {
      description: 'Action Center: signs the audit chain checkpoints (only the appender may sign)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // Compliance mode: no one, the account root included, shortens the retention or deletes a
    // locked version before it ends; the bucket outlives the stack.
    this.exportBucket = new Bucket(this, 'Export', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(
        Duration.days(props.retentionDays),
      ),
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'audit-export/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private environment(fn: LambdaFunction, checkpointSeconds?: number) {
    fn.addEnvironment('AUDIT_KMS_KEY_ID', this.signingKey.keyArn);
    fn.addEnvironment('AUDIT_EXPORT_BUCKET', this.exportBucket.bucketName);
    fn.addEnvironment('AUDIT_EXPORT_PREFIX', EXPORT_PREFIX);
    if (checkpointSeconds) fn.addEnvironment('AUDIT_CHECKPOINT_SECONDS', String(checkpointSeconds));
  }

  /** The appender: signs checkpoints and writes the export (never deletes it). */
  grantSeal(fn: LambdaFunction, checkpointSeconds: number): void {
    this.environment(fn, checkpointSeconds);
    // Each object carries its own lock too, so a changed bucket default cannot shorten it.
    fn.addEnvironment('AUDIT_EXPORT_RETENTION_DAYS', String(this.retentionDays));
    this.signingKey.grant(fn, 'kms:Sign', 'kms:GetPublicKey');
    this.grantRead(fn);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:PutObjectRetention'],
        resources: [this.exportBucket.arnForObjects(`${EXPORT_PREFIX}/*`)],
      }),
    );
  }

  /** Readers: the public key and the export (to check the table against it), nothing to sign with. */
  grantVerify(fn: LambdaFunction): void {
    this.environment(fn);
    this.signingKey.grant(fn, 'kms:GetPublicKey');
    this.grantRead(fn);
  }

  /** ListBucket too, so a missing object is a 404 rather than a 403. */
  private grantRead(grantee: IGrantable & { role?: unknown }) {
    const bucketId = Stack.of(this).getLogicalId(this.exportBucket.node.defaultChild as CfnElement);
    if (grantee.role)
      Validations.of(grantee.role as Construct).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${EXPORT_PREFIX}/*]`,
        reason:
          'The audit export objects are named by seq (entries/<seq>.ndjson, checkpoints/<seq>.json) under the one export prefix: the grant is that prefix of the one bucket, nothing else.',
      });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.exportBucket.arnForObjects(`${EXPORT_PREFIX}/*`)],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.exportBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${EXPORT_PREFIX}/*`] } },
      }),
    );
  }
}
