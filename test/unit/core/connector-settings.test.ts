import { loadConfig } from '../../../functions/config.js';
import {
  type ConnectorVariables,
  connectorSettingsFrom,
  DEFAULT_ROUTING,
  resolveConnector,
} from '../../../functions/core/connector-settings.js';
import { ConfigError } from '../../../functions/core/errors.js';

const WEBHOOK = {
  WEBHOOK_URL: 'https://edr.example.com/action-center',
  WEBHOOK_SECRET: 'a-signing-secret-of-32-characters',
};
const AWS = {
  AWS_ISOLATION_SECURITY_GROUP_ID: 'sg-0150150150150150a',
  AWS_DNS_FIREWALL_DOMAIN_LIST_ID: 'rslvr-fdl-0123456789abcdef',
};

const settingsOf = (v: Partial<ConnectorVariables>, files: Record<string, string> = {}) =>
  connectorSettingsFrom({ WEBHOOK_TIMEOUT_MS: 10_000, ...v }, (path) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return text;
  });

function problemsOf(v: Partial<ConnectorVariables>, files: Record<string, string> = {}): string[] {
  try {
    settingsOf(v, files);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^Invalid connector configuration: /);
    return ((error as ConfigError).details as { problems: string[] }).problems;
  }
  throw new Error('connectorSettingsFrom did not throw');
}

describe('connector routing: default', () => {
  it('runs everything on the built-in connector without CONNECTORS', () => {
    // Act
    const settings = settingsOf({});

    // Assess
    expect(settings.routing).toEqual(DEFAULT_ROUTING);
    expect(resolveConnector(settings.routing, 'isolateDevice')).toEqual({
      name: 'builtin',
      entry: 'default',
    });
  });

  it('is what loadConfig gives with only a table name', () => {
    expect(loadConfig({ TABLE_NAME: 'ActionCenter' }).connectors.routing).toEqual(DEFAULT_ROUTING);
  });
});

describe('connector routing: parsing', () => {
  it('reads categories and per-type overrides from CONNECTORS', () => {
    // Prepare
    const CONNECTORS = JSON.stringify({
      endpoint: 'webhook',
      email: 'webhook',
      types: { blockUrl: 'aws', killProcess: 'none' },
    });

    // Act
    const { routing } = settingsOf({ CONNECTORS, ...WEBHOOK, ...AWS });

    // Assess
    expect(routing).toEqual({
      endpoint: 'webhook',
      email: 'webhook',
      types: { blockUrl: 'aws', killProcess: 'none' },
    });
    expect(resolveConnector(routing, 'blockUrl').name).toBe('aws');
    expect(resolveConnector(routing, 'softDeleteEmail').name).toBe('webhook');
    expect(resolveConnector(routing, 'killProcess')).toEqual({
      name: 'none',
      entry: 'types.killProcess',
    });
  });

  it('leaves a type that no entry names without a connector', () => {
    const { routing } = settingsOf({ CONNECTORS: '{"endpoint":"builtin"}' });

    expect(resolveConnector(routing, 'quarantineFile').name).toBe('builtin');
    expect(resolveConnector(routing, 'blockUrl')).toEqual({ name: undefined, entry: 'default' });
  });

  it('reads the same format from CONNECTORS_FILE', () => {
    const file = {
      '/etc/action-center/connectors.json': '{"default":"builtin","email":"webhook"}',
    };

    const settings = settingsOf(
      { CONNECTORS_FILE: '/etc/action-center/connectors.json', ...WEBHOOK },
      file,
    );

    expect(settings.routing).toEqual({ default: 'builtin', email: 'webhook', types: {} });
  });

  it('is read by loadConfig, with the webhook and aws settings', () => {
    // Act
    const config = loadConfig({
      TABLE_NAME: 'ActionCenter',
      CONNECTORS: '{"default":"webhook","types":{"isolateDevice":"aws","blockUrl":"aws"}}',
      ...WEBHOOK,
      WEBHOOK_TIMEOUT_MS: '2500',
      WEBHOOK_RESULT_TIMEOUT_SECONDS: '900',
      ...AWS,
    });

    // Assess
    expect(config.connectors).toEqual({
      routing: { default: 'webhook', types: { isolateDevice: 'aws', blockUrl: 'aws' } },
      webhook: {
        url: WEBHOOK.WEBHOOK_URL,
        secret: WEBHOOK.WEBHOOK_SECRET,
        secretArn: undefined,
        timeoutMs: 2_500,
        resultTimeoutSeconds: 900,
      },
      aws: {
        isolationSecurityGroupId: AWS.AWS_ISOLATION_SECURITY_GROUP_ID,
        dnsFirewallDomainListId: AWS.AWS_DNS_FIREWALL_DOMAIN_LIST_ID,
        timeoutSeconds: 300,
      },
      defender: { liveResponseScript: undefined, timeoutSeconds: 262_800 },
      ssm: { documentPrefix: 'ActionCenter', timeoutSeconds: 3_600 },
    });
  });

  it('takes the secret from Secrets Manager when WEBHOOK_SECRET_ARN is set', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-AbCdEf';

    const settings = settingsOf({
      CONNECTORS: '{"default":"webhook"}',
      WEBHOOK_URL: WEBHOOK.WEBHOOK_URL,
      WEBHOOK_SECRET_ARN: arn,
    });

    expect(settings.webhook).toEqual({
      url: WEBHOOK.WEBHOOK_URL,
      secret: undefined,
      secretArn: arn,
      timeoutMs: 10_000,
      resultTimeoutSeconds: 3_600,
    });
  });

  it('allows plain http to a receiver on this machine', () => {
    expect(() =>
      settingsOf({
        CONNECTORS: '{"default":"webhook"}',
        ...WEBHOOK,
        WEBHOOK_URL: 'http://127.0.0.1:4000/actions',
      }),
    ).not.toThrow();
  });
});

describe('connector routing: validation names the bad entry', () => {
  it.each([
    ['not JSON', '{endpoint: webhook}', /^CONNECTORS: not valid JSON/],
    ['not an object', '["webhook"]', /^CONNECTORS: must be a JSON object/],
    [
      'an unknown connector',
      '{"endpoint":"edr"}',
      /^CONNECTORS\.endpoint: unknown connector "edr" \(expected one of builtin, webhook, aws, ssm, defender, none\)$/,
    ],
    [
      'an unknown type',
      '{"types":{"blockURL":"builtin"}}',
      /^CONNECTORS\.types\.blockURL: not an action type \(expected one of quarantineFile, /,
    ],
    [
      'an unknown connector for a type',
      '{"types":{"blockUrl":"dns"}}',
      /^CONNECTORS\.types\.blockUrl: unknown connector "dns"/,
    ],
    ['an unknown entry', '{"mail":"builtin"}', /^CONNECTORS\.mail: unknown entry/],
    ['types that are not an object', '{"types":"aws"}', /^CONNECTORS\.types: must be an object/],
    [
      'a connector that is not a string',
      '{"default":1}',
      /^CONNECTORS\.default: unknown connector 1/,
    ],
  ])('refuses %s', (_, CONNECTORS, problem) => {
    expect(problemsOf({ CONNECTORS })).toEqual([expect.stringMatching(problem)]);
  });

  it('names the file when CONNECTORS_FILE is bad', () => {
    expect(problemsOf({ CONNECTORS_FILE: '/missing.json' })).toEqual([
      'CONNECTORS_FILE (/missing.json): cannot be read (ENOENT)',
    ]);
    expect(problemsOf({ CONNECTORS_FILE: '/c.json' }, { '/c.json': '{"email":"smtp"}' })).toEqual([
      expect.stringMatching(/^CONNECTORS_FILE \(\/c\.json\)\.email: unknown connector "smtp"/),
    ]);
  });

  it('refuses the defender connector without the Defender integration, naming DEFENDER_TENANT_ID', () => {
    const problems = problemsOf({ CONNECTORS: '{"types":{"isolateDevice":"defender"}}' });

    expect(problems).toEqual([
      'CONNECTORS.types.isolateDevice: the defender connector needs the Defender integration: set DEFENDER_TENANT_ID, DEFENDER_CLIENT_ID and DEFENDER_CLIENT_SECRET (or DEFENDER_CLIENT_SECRET_ARN)',
    ]);
  });

  it('refuses the defender connector for types its APIs cannot do, naming what it handles', () => {
    const problems = problemsOf({
      CONNECTORS: '{"email":"defender"}',
      DEFENDER_TENANT_ID: '11111111-2222-3333-4444-555555555555',
    });

    expect(problems).toEqual([
      'CONNECTORS.email: the defender connector does not handle quarantineAttachment (it handles isolateDevice, quarantineFile, killProcess, stopService, disableDriver, removeRegistryKey, removeScheduledTask, blockUrl, softDeleteEmail, quarantineEmail, disableExternalForwarding)',
    ]);
  });

  it('needs the live response script for the types Defender reaches only by live response', () => {
    const v = {
      CONNECTORS: '{"endpoint":"defender"}',
      DEFENDER_TENANT_ID: '11111111-2222-3333-4444-555555555555',
    };

    expect(problemsOf(v)).toEqual([
      'CONNECTORS.endpoint: the defender connector runs killProcess, stopService, disableDriver, removeRegistryKey, removeScheduledTask through a live response library script: set DEFENDER_LIVE_RESPONSE_SCRIPT',
    ]);
    expect(problemsOf({ ...v, DEFENDER_LIVE_RESPONSE_SCRIPT: 'rm -rf' })).toEqual([
      'DEFENDER_LIVE_RESPONSE_SCRIPT: not a live response library file name (letters, digits, . _ -)',
    ]);
    expect(
      settingsOf({ ...v, DEFENDER_LIVE_RESPONSE_SCRIPT: 'actioncenter-remediate.ps1' }).defender,
    ).toEqual({ liveResponseScript: 'actioncenter-remediate.ps1', timeoutSeconds: 262_800 });
  });

  it('refuses CONNECTORS and CONNECTORS_FILE together', () => {
    expect(problemsOf({ CONNECTORS: '{}', CONNECTORS_FILE: '/c.json' })).toEqual([
      'CONNECTORS and CONNECTORS_FILE are both set: set only one',
    ]);
  });

  it('refuses the aws connector for types whose target is not in AWS, by entry', () => {
    // Act
    const problems = problemsOf({
      CONNECTORS: '{"endpoint":"aws","types":{"quarantineEmail":"aws"}}',
      ...AWS,
    });

    // Assess
    expect(problems).toEqual([
      'CONNECTORS.endpoint: the aws connector does not handle quarantineFile, removeRegistryKey, killProcess, stopService, disableDriver, removeScheduledTask (it handles isolateDevice, blockUrl)',
      'CONNECTORS.types.quarantineEmail: the aws connector does not handle quarantineEmail (it handles isolateDevice, blockUrl)',
    ]);
  });

  it('refuses the ssm connector for types it has no document for, by entry', () => {
    expect(problemsOf({ CONNECTORS: '{"endpoint":"ssm","email":"ssm"}' })).toEqual([
      'CONNECTORS.endpoint: the ssm connector does not handle isolateDevice (it handles quarantineFile, killProcess, stopService, disableDriver, removeRegistryKey, removeScheduledTask)',
      'CONNECTORS.email: the ssm connector does not handle softDeleteEmail, blockUrl, disableExternalForwarding, quarantineEmail, quarantineAttachment (it handles quarantineFile, killProcess, stopService, disableDriver, removeRegistryKey, removeScheduledTask)',
    ]);
  });

  it("reads the ssm connector's document prefix and timeout from the environment", () => {
    const config = loadConfig({
      TABLE_NAME: 'ActionCenter',
      CONNECTORS: '{"endpoint":"ssm","types":{"isolateDevice":"builtin"}}',
      SSM_DOCUMENT_PREFIX: 'AcmeSoc',
      SSM_TIMEOUT_SECONDS: '7200',
    });

    expect(config.connectors.ssm).toEqual({ documentPrefix: 'AcmeSoc', timeoutSeconds: 7_200 });
    expect(resolveConnector(config.connectors.routing, 'killProcess').name).toBe('ssm');
  });

  it.each([
    [{ SSM_DOCUMENT_PREFIX: 'a b' }, 'SSM_DOCUMENT_PREFIX: 3 to 64 letters, digits, _ . or -'],
    [
      { SSM_TIMEOUT_SECONDS: 60 },
      'SSM_TIMEOUT_SECONDS: must be a whole number of seconds from 900 to 604800',
    ],
    [
      { SSM_TIMEOUT_SECONDS: 604_801 },
      'SSM_TIMEOUT_SECONDS: must be a whole number of seconds from 900 to 604800',
    ],
  ])('refuses the ssm setting %j', (variables, problem) => {
    expect(problemsOf(variables)).toEqual([problem]);
  });

  it('refuses the aws connector without the setting each of its types needs', () => {
    expect(
      problemsOf({ CONNECTORS: '{"types":{"isolateDevice":"aws","blockUrl":"aws"}}' }),
    ).toEqual([
      'CONNECTORS.types.isolateDevice: the aws connector isolates devices only with AWS_ISOLATION_SECURITY_GROUP_ID set',
      'CONNECTORS.types.blockUrl: the aws connector blocks URLs only with AWS_DNS_FIREWALL_DOMAIN_LIST_ID set',
    ]);
  });

  it('refuses the webhook connector without a URL or a secret', () => {
    expect(problemsOf({ CONNECTORS: '{"email":"webhook"}' })).toEqual([
      'CONNECTORS.email: the webhook connector needs WEBHOOK_URL',
      'CONNECTORS.email: the webhook connector needs WEBHOOK_SECRET or WEBHOOK_SECRET_ARN',
    ]);
  });

  it.each([
    [{ WEBHOOK_URL: 'edr.example.com' }, 'WEBHOOK_URL: not a URL'],
    [
      { WEBHOOK_URL: 'http://edr.example.com/hook' },
      'WEBHOOK_URL: must be https (plain http is allowed only for localhost)',
    ],
    [{ WEBHOOK_SECRET: 'short' }, 'WEBHOOK_SECRET: must be at least 16 characters'],
    [
      { WEBHOOK_SECRET_ARN: 'arn:aws:ssm:eu-west-1:1:parameter/x' },
      'WEBHOOK_SECRET_ARN: not a Secrets Manager secret ARN',
    ],
    [
      { WEBHOOK_SECRET: WEBHOOK.WEBHOOK_SECRET, WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:x' },
      'WEBHOOK_SECRET and WEBHOOK_SECRET_ARN are both set: set only one',
    ],
    [
      { AWS_ISOLATION_SECURITY_GROUP_ID: 'isolation' },
      'AWS_ISOLATION_SECURITY_GROUP_ID: not a security group id (sg-...)',
    ],
    [
      { AWS_DNS_FIREWALL_DOMAIN_LIST_ID: 'blocklist' },
      'AWS_DNS_FIREWALL_DOMAIN_LIST_ID: not a DNS Firewall domain list id (rslvr-fdl-...)',
    ],
  ])('refuses the malformed setting %j even when no route uses it', (variables, problem) => {
    expect(problemsOf(variables)).toEqual([problem]);
  });

  it('stops loadConfig at cold start, naming the entry', () => {
    expect(() =>
      loadConfig({ TABLE_NAME: 'ActionCenter', CONNECTORS: '{"email":"mailer"}' }),
    ).toThrow(/CONNECTORS\.email: unknown connector "mailer"/);
  });

  it.each(['0', '1.5', '604801', 'soon'])(
    'refuses a WEBHOOK_RESULT_TIMEOUT_SECONDS of %s',
    (value) => {
      expect(() =>
        loadConfig({ TABLE_NAME: 'ActionCenter', WEBHOOK_RESULT_TIMEOUT_SECONDS: value }),
      ).toThrow(/WEBHOOK_RESULT_TIMEOUT_SECONDS/);
    },
  );

  it('refuses a WEBHOOK_TIMEOUT_MS that is not a positive whole number', () => {
    expect(() => loadConfig({ TABLE_NAME: 'ActionCenter', WEBHOOK_TIMEOUT_MS: '0' })).toThrow(
      /WEBHOOK_TIMEOUT_MS/,
    );
  });
});
