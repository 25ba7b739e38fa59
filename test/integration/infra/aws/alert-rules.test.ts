// The alert rules in the synthesized template: one per enabled source, on the bus its events
// arrive on, into ingest with the dead-letter queue; every published fixture that should start an
// investigation matches its rule's EventPattern as deployed, and archived or resolved ones do not.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import type { SourceId } from '../../../../functions/core/sources/source.js';
import { type EventPattern, matchesPattern } from '../../../../functions/ingest/event-pattern.js';
import { alertRules, defaultSourceSettings } from '../../../../functions/ingest/rule.js';
import { resourcesOf, type Synthesized, synthesize } from './synth.js';

type Json = Record<string, unknown>;
const FIXTURES = resolve('test/fixtures/sources');
/** The fixture folders and the source whose rule must route them. */
const FOLDERS: Record<string, SourceId> = {
  guardduty: 'guardduty',
  securityhub: 'securityhub',
  'securityhub-ocsf': 'securityhub-ocsf',
  defender: 'defender',
};
/** Fixtures no rule routes: archived (suppressed), resolved or closed findings and alerts. */
const NOT_ROUTED = [
  'guardduty/iam-recon-archived-sample.json',
  'guardduty/s3-pentest-archived-sample.json',
  'securityhub/cspm-ec2-19-archived.json',
  'securityhub-ocsf/guardduty-dga-ec2-resolved.json',
  // OCSF 1.0.0-rc.2 Security Finding: an `Update` activity with no `status`, so not a new finding.
  'securityhub-ocsf/ocsf-examples-security-finding-2001.json',
  'defender/graph-alert-remediated.json',
];

const fixtures = Object.keys(FOLDERS).flatMap((folder) =>
  readdirSync(resolve(FIXTURES, folder))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `${folder}/${f}`),
);
const eventOf = (fixture: string): Json =>
  JSON.parse(readFileSync(resolve(FIXTURES, fixture), 'utf8'));
const routed = fixtures.filter((f) => !NOT_ROUTED.includes(f));

interface DeployedRule {
  /** The source, from the rule's construct id (`AlertRuleSecurityhubOcsf` -> `securityhub-ocsf`). */
  source: string;
  bus: unknown;
  pattern: EventPattern;
  targets: Json[];
}

/** The alert rules of a template: their bus, their EventPattern (EventBridge's JSON form) and targets. */
function alertRulesOf(synth: Synthesized): DeployedRule[] {
  const rules = synth.app.node
    .findAll()
    .filter((c) => /\/Events\/AlertRule[A-Za-z]+$/.test(c.node.path));
  return rules.map((rule) => {
    const id = synth.stack.getLogicalId(rule.node.defaultChild as CfnElement);
    const properties = resourcesOf(synth.template, 'AWS::Events::Rule')[id]?.Properties ?? {};
    const name = rule.node.id.replace(/^AlertRule/, '');
    return {
      source: name.replace(/(?<=.)([A-Z])/g, '-$1').toLowerCase(),
      bus: properties.EventBusName,
      pattern: properties.EventPattern as EventPattern,
      targets: properties.Targets as Json[],
    };
  });
}

const matching = (rules: DeployedRule[], event: Json) =>
  rules.filter((r) => matchesPattern(r.pattern, event)).map((r) => r.source);

function functionId(synth: Synthesized, path: string): string {
  const fn = synth.app.node.findAll().find((c) => c.node.path === `${path}/Function`);
  if (!fn) throw new Error(`No function at ${path}`);
  return synth.stack.getLogicalId(fn.node.defaultChild as CfnElement);
}

describe('every source enabled, alerts on a bus of their own', () => {
  let synth: Synthesized;
  let rules: DeployedRule[];
  beforeAll(() => {
    synth = synthesize({ eventBusName: 'security-alerts' });
    rules = alertRulesOf(synth);
  });

  it('has one rule per source: AWS services on the default bus, ours and Defender on the configured one', () => {
    expect(rules.map((r) => [r.source, r.bus])).toEqual([
      ['actioncenter', 'security-alerts'],
      ['guardduty', 'default'],
      ['securityhub', 'default'],
      ['securityhub-ocsf', 'default'],
      ['defender', 'security-alerts'],
    ]);
  });

  it('deploys the patterns the local bus matches (one rule module for both)', () => {
    const local = alertRules(defaultSourceSettings());

    expect(rules.map((r) => r.pattern)).toEqual(local.map((r) => r.pattern));
    expect(rules[1]?.pattern).toMatchObject({
      source: ['aws.guardduty'],
      'detail-type': ['GuardDuty Finding'],
    });
  });

  it('targets ingest from every rule, retrying for a day, then the dead-letter queue', () => {
    const [queueId] = Object.keys(resourcesOf(synth.template, 'AWS::SQS::Queue'));
    for (const rule of rules) {
      expect({ source: rule.source, targets: rule.targets }).toEqual({
        source: rule.source,
        targets: [
          expect.objectContaining({
            Arn: { 'Fn::GetAtt': [functionId(synth, 'ActionCenter/Ingest'), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          }),
        ],
      });
    }
  });

  it('covers every fixture folder with routed and unrouted samples', () => {
    expect(routed.length).toBeGreaterThanOrEqual(20);
    expect(NOT_ROUTED.every((f) => fixtures.includes(f))).toBe(true);
  });

  it.each(routed)('routes %s by its own source rule, and only that one', (fixture) => {
    const folder = fixture.split('/')[0] as string;

    expect(matching(rules, eventOf(fixture))).toEqual([FOLDERS[folder]]);
  });

  it.each(NOT_ROUTED)('routes %s by no rule', (fixture) => {
    expect(matching(rules, eventOf(fixture))).toEqual([]);
  });
});

describe('the alertSources and minAlertSeverity parameters', () => {
  it('deploys only the rules of the chosen sources', () => {
    const rules = alertRulesOf(synthesize({ alertSources: 'guardduty' }));

    expect(rules.map((r) => [r.source, r.bus])).toEqual([['guardduty', 'default']]);
    expect(matching(rules, eventOf('guardduty/ec2-network-connection.json'))).toEqual([
      'guardduty',
    ]);
    expect(matching(rules, eventOf('securityhub/guardduty-dga-ec2.json'))).toEqual([]);
    expect(matching(rules, eventOf('defender/graph-alert-get.json'))).toEqual([]);
  });

  it('drops findings below a high floor from the rules, keeps those at or above it', () => {
    const rules = alertRulesOf(synthesize({ minAlertSeverity: 'high' }));
    const routedBy = (fixture: string) => matching(rules, eventOf(fixture));

    // GuardDuty severity 5 (medium), the medium sample finding, and 8 (high).
    expect(routedBy('guardduty/ec2-network-connection.json')).toEqual([]);
    expect(routedBy('guardduty/ec2-dns-blackhole-sample.json')).toEqual([]);
    expect(routedBy('guardduty/ec2-malicious-file-composite.json')).toEqual(['guardduty']);
    // Security Hub HIGH, in ASFF and OCSF.
    expect(routedBy('securityhub/guardduty-dga-ec2.json')).toEqual(['securityhub']);
    expect(routedBy('securityhub-ocsf/guardduty-dga-ec2.json')).toEqual(['securityhub-ocsf']);
    // Defender low and medium alerts.
    expect(routedBy('defender/graph-alert-get.json')).toEqual([]);
    expect(routedBy('defender/incidents-api-ransomware-user-ip.json')).toEqual([]);
    // Our own alerts are never filtered by the floor.
    expect(rules.map((r) => r.source)).toContain('actioncenter');
  });
});
