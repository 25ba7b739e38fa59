// The audit seal in the template: the signing key that only the appender (the reconciler) may
// sign with, and the export bucket with Object Lock in compliance mode; cdk-nag stays clean.
import type { CfnElement } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resourcesOf, type Synthesized, synthesize } from './synth.js';

type Json = Record<string, unknown>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
}

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ auditExportRetentionDays: 400 });
});

const props = (resource: { Properties?: Json }) => resource.Properties ?? {};
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  synth.stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** Role logical id -> every action its policies allow. */
function allowedByRole(): Map<string, string[]> {
  const byRole = new Map<string, string[]>();
  for (const policy of Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy'))) {
    const statements = (props(policy).PolicyDocument as { Statement: Statement[] }).Statement;
    const actions = statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf);
    for (const role of props(policy).Roles as Array<{ Ref: string }>) {
      byRole.set(role.Ref, [...(byRole.get(role.Ref) ?? []), ...actions]);
    }
  }
  return byRole;
}

const roleOf = (fn: { role: unknown }) => logicalId(fn.role as never);

describe('the audit signing key', () => {
  it('is an asymmetric P-256 signing key', () => {
    synth.template.hasResourceProperties('AWS::KMS::Key', {
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
    });
  });

  it('may be signed with by the reconciler (the appender) alone', () => {
    const signers = [...allowedByRole()]
      .filter(([, actions]) => actions.some((a) => a === 'kms:Sign' || a === 'kms:*'))
      .map(([role]) => role);
    expect(signers).toEqual([roleOf(synth.stack.functions.reconcile)]);
  });

  it('gives the read API the public key only, and the key id to the two of them alone', () => {
    const readActions = allowedByRole().get(roleOf(synth.stack.functions.read)) ?? [];
    expect(readActions).toContain('kms:GetPublicKey');
    expect(readActions).not.toContain('kms:Sign');
    const withKey = Object.entries(resourcesOf(synth.template, 'AWS::Lambda::Function'))
      .filter(([, fn]) => {
        const env = props(fn).Environment as { Variables?: Json } | undefined;
        return env?.Variables?.AUDIT_KMS_KEY_ID !== undefined;
      })
      .map(([id]) => id)
      .sort();
    expect(withKey).toEqual(
      [synth.stack.functions.read, synth.stack.functions.reconcile]
        .map((f) => logicalId(f.function))
        .sort(),
    );
  });
});

describe('the audit export bucket', () => {
  it('has Object Lock in compliance mode for the retention set, is versioned and kept', () => {
    const bucket = resourcesOf(synth.template, 'AWS::S3::Bucket')[
      logicalId(synth.stack.auditSeal.exportBucket)
    ] as Json;
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(props(bucket)).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(props(bucket).LoggingConfiguration).toBeDefined();
  });

  it('is written by the reconciler alone, and no role may delete from it', () => {
    const bucketId = logicalId(synth.stack.auditSeal.exportBucket);
    const writers = [...allowedByRole()].filter(([, actions]) =>
      actions.some((a) => a === 's3:PutObject' || a === 's3:*'),
    );
    const writingThisBucket = writers
      .filter(([role]) => {
        const policies = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).filter(
          (p) => (props(p).Roles as Array<{ Ref: string }>).some((r) => r.Ref === role),
        );
        return JSON.stringify(policies).includes(bucketId);
      })
      .map(([role]) => role);
    expect(writingThisBucket).toEqual([roleOf(synth.stack.functions.reconcile)]);
    const deleters = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).filter(
      (p) =>
        JSON.stringify(props(p)).includes(bucketId) &&
        JSON.stringify(props(p)).includes('s3:DeleteObject'),
    );
    expect(deleters).toEqual([]);
  });
});

describe('cdk-nag AwsSolutions with the audit seal', () => {
  it('reports no finding on the seal', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);
    expect(
      report.violations
        .map((v) => `${v.ruleName} ${v.violatingResources[0]?.constructPath}`)
        .filter((v) => v.includes('AuditSeal')),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });
});
