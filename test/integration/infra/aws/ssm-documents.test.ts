// The ssm connector in the stack: our SSM Command documents (parameters declared with the patterns
// the connector checks too, values only ever single-quoted), SendCommand allowed only on tagged
// nodes and only with our documents, and cdk-nag clean.
import { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  SSM_DOCUMENTS,
  SSM_PARAMETER_PATTERNS,
  type SsmParameterName,
} from '../../../../functions/core/ssm-commands.js';
import { resourcesOf, type Synthesized, synthesize } from './synth.js';

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
};
interface DocumentContent {
  schemaVersion: string;
  parameters: Record<string, { type: string; allowedPattern: string; allowedValues?: string[] }>;
  mainSteps: { action: string; precondition: unknown; inputs: { runCommand: string[] } }[];
}

const ROUTING = JSON.stringify({
  default: 'builtin',
  endpoint: 'ssm',
  types: { isolateDevice: 'builtin' },
});
let synth: Synthesized;

beforeAll(() => {
  synth = synthesize({
    connectors: ROUTING,
    remediableTagKey: 'SocMayRemediate',
    remediableTagValue: 'yes',
  });
});

const documents = () =>
  Object.values(resourcesOf(synth.template, 'AWS::SSM::Document')).map((d) => ({
    name: d.Properties?.Name as string,
    type: d.Properties?.DocumentType,
    content: d.Properties?.Content as DocumentContent,
  }));

const statementsOf = (path: string): Statement[] => {
  const role = synth.app.node.findAll().find((c) => c.node.path === `${path}/Role/Resource`);
  const roleId = Stack.of(synth.stack).getLogicalId(role as never);
  return Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy'))
    .map((p) => p.Properties ?? {})
    .filter((p) => (p.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
};
const actionsOf = (st: Statement) => (Array.isArray(st.Action) ? st.Action : [st.Action]);

describe('the documents', () => {
  it('are one Command document per routed action type and platform, named with the prefix', () => {
    const names = documents()
      .map((d) => d.name)
      .sort();

    expect(names).toEqual(
      [
        'ActionCenter-DisableDriver-Linux',
        'ActionCenter-DisableDriver-Windows',
        'ActionCenter-KillProcess-Linux',
        'ActionCenter-KillProcess-Windows',
        'ActionCenter-QuarantineFile-Linux',
        'ActionCenter-QuarantineFile-Windows',
        'ActionCenter-RemoveRegistryKey-Windows',
        'ActionCenter-RemoveScheduledTask-Linux',
        'ActionCenter-RemoveScheduledTask-Windows',
        'ActionCenter-StopService-Linux',
        'ActionCenter-StopService-Windows',
      ].sort(),
    );
    for (const d of documents()) {
      expect(d.type).toBe('Command');
      expect(d.content.schemaVersion).toBe('2.2');
    }
  });

  it('run a shell script on Linux and PowerShell on Windows, each for its platform only', () => {
    for (const d of documents()) {
      const [step] = d.content.mainSteps;
      const platform = d.name.endsWith('-Linux') ? 'Linux' : 'Windows';
      expect(d.content.mainSteps).toHaveLength(1);
      expect(step?.action).toBe(
        platform === 'Linux' ? 'aws:runShellScript' : 'aws:runPowerShellScript',
      );
      expect(step?.precondition).toEqual({ StringEquals: ['platformType', platform] });
    }
  });

  it('declare every parameter with the pattern the connector checks', () => {
    for (const d of documents()) {
      for (const [name, parameter] of Object.entries(d.content.parameters)) {
        expect({ name, type: parameter.type, allowedPattern: parameter.allowedPattern }).toEqual({
          name,
          type: 'String',
          allowedPattern: SSM_PARAMETER_PATTERNS[name as SsmParameterName],
        });
      }
      expect(d.content.parameters.operation?.allowedValues).toEqual(['execute', 'undo']);
    }
    const killProcess = documents().find((d) => d.name === 'ActionCenter-KillProcess-Linux');
    expect(Object.keys(killProcess?.content.parameters ?? {}).sort()).toEqual(
      ['operation', 'actionId', ...SSM_DOCUMENTS.killProcess.parameters].sort(),
    );
  });

  it('put parameters only into single-quoted assignments at the top, never into the script itself', () => {
    for (const d of documents()) {
      const lines = d.content.mainSteps[0]?.inputs.runCommand ?? [];
      const withParameters = lines.filter((l) => l.includes('{{'));
      expect(withParameters).toHaveLength(Object.keys(d.content.parameters).length);
      for (const line of withParameters) {
        expect(line).toMatch(/^\$?AC_[A-Z0-9_]+( = |=)'\{\{ \w+ \}\}'$/);
      }
      const firstScriptLine = lines.findIndex((l) => !l.includes('{{') && !l.startsWith('#!'));
      expect(lines.slice(firstScriptLine).some((l) => l.includes('{{'))).toBe(false);
    }
  });
});

describe('the patterns', () => {
  const accepts = (name: SsmParameterName, value: string) =>
    new RegExp(SSM_PARAMETER_PATTERNS[name]).test(value);

  it('accept the paths, names and times alerts carry', () => {
    expect(accepts('path', '/tmp/.x/payload.bin')).toBe(true);
    expect(accepts('path', 'C:\\Users\\Public\\invoice (1).exe')).toBe(true);
    expect(accepts('startTime', '2026-11-30T08:15:02.123Z')).toBe(true);
    expect(
      accepts('keyPath', 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\updater'),
    ).toBe(true);
    expect(accepts('taskName', '\\Microsoft\\Windows\\Updater')).toBe(true);
    expect(accepts('serviceName', 'cryptominer@1.service')).toBe(true);
  });

  it.each([
    ['path', "/tmp/x'; rm -rf / #"],
    ['path', '/tmp/$(id)'],
    ['path', '/tmp/`id`'],
    ['path', '/tmp/a\nrm -rf /'],
    ['path', 'relative/path'],
    ['path', 'C:\\x’; Remove-Item C:\\ #'],
    ['pid', '1; kill -9 1'],
    ['serviceName', '-x'],
    ['serviceName', 'ssh|nc'],
    ['taskName', 'a;b'],
    ['keyPath', 'HKLM\\x" & calc'],
    ['startTime', 'yesterday'],
    ['actionId', 'act-1; id'],
  ] as [SsmParameterName, string][])('refuse %s %j', (name, value) => {
    expect(accepts(name, value)).toBe(false);
  });
});

describe('the permissions', () => {
  // Undo runs in the workflow too: only Advance remediates.
  const REMEDIATING = ['ActionCenter/Workflow/Advance'];

  it('allow SendCommand on instances and managed nodes only where they carry the remediable tag', () => {
    for (const path of REMEDIATING) {
      const nodes = statementsOf(path).find((st) => st.Sid === 'SendCommandsToRemediableNodes');
      expect(nodes?.Action).toBe('ssm:SendCommand');
      expect(JSON.stringify(nodes?.Resource)).toMatch(/:instance\/\*/);
      expect(JSON.stringify(nodes?.Resource)).toMatch(/:managed-instance\/\*/);
      expect(nodes?.Condition).toEqual({
        StringEquals: { 'ssm:resourceTag/SocMayRemediate': 'yes' },
      });
    }
  });

  it('allow SendCommand with our documents only, and on nothing else', () => {
    for (const path of REMEDIATING) {
      const sends = statementsOf(path).filter((st) => actionsOf(st).includes('ssm:SendCommand'));
      expect(sends.map((st) => st.Sid).sort()).toEqual([
        'SendCommandsToRemediableNodes',
        'SendOnlyOurDocuments',
      ]);
      const documentsOnly = sends.find((st) => st.Sid === 'SendOnlyOurDocuments');
      expect(JSON.stringify(documentsOnly?.Resource)).toMatch(/:document\/ActionCenter-\*"/);
      for (const st of sends) expect(st.Resource).not.toBe('*');
    }
  });

  it('give the functions that never remediate no SSM rights', () => {
    for (const path of [
      'ActionCenter/Workflow/Investigate',
      'ActionCenter/ApiRead',
      'ActionCenter/ApiDecide',
    ]) {
      const ssm = statementsOf(path)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('ssm:'));
      expect({ path, ssm }).toEqual({ path, ssm: [] });
    }
  });

  it('leave cdk-nag with no finding that is not acknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);

    expect(
      report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0]?.constructPath}`),
    ).toEqual([]);
  });
});

it('creates no documents and grants no SSM rights when nothing is routed to ssm', () => {
  const plain = synthesize();

  plain.template.resourceCountIs('AWS::SSM::Document', 0);
  const policies = JSON.stringify(resourcesOf(plain.template, 'AWS::IAM::Policy'));
  expect(policies).not.toMatch(/ssm:SendCommand/);
});

it("names the documents, the functions' SSM_DOCUMENT_PREFIX and the grant with the configured prefix", () => {
  const acme = synthesize({
    connectors: JSON.stringify({ types: { killProcess: 'ssm' } }),
    ssmDocumentPrefix: 'AcmeSoc',
  });

  const names = Object.values(resourcesOf(acme.template, 'AWS::SSM::Document')).map(
    (d) => d.Properties?.Name,
  );
  expect(names.sort()).toEqual(['AcmeSoc-KillProcess-Linux', 'AcmeSoc-KillProcess-Windows']);
  acme.template.hasResourceProperties('AWS::Lambda::Function', {
    Environment: { Variables: { SSM_DOCUMENT_PREFIX: 'AcmeSoc' } },
  });
  expect(JSON.stringify(resourcesOf(acme.template, 'AWS::IAM::Policy'))).toMatch(
    /:document\/AcmeSoc-\*"/,
  );
});
