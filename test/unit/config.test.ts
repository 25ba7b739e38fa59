import { loadConfig, required } from '../../functions/config.js';
import { ConfigError } from '../../functions/core/errors.js';
import { topicRegionOf } from '../../functions/core/notify-settings.js';
import { DEFAULT_SLA_MINUTES } from '../../functions/core/reminders.js';

const BASE = { TABLE_NAME: 'ActionCenter' };

/** Without connector settings: the built-in connector for everything (see test/unit/connectors). */
const DEFAULT_CONNECTORS = {
  routing: { default: 'builtin', types: {} },
  webhook: {
    url: undefined,
    secret: undefined,
    secretArn: undefined,
    timeoutMs: 10_000,
    resultTimeoutSeconds: 3_600,
  },
  aws: {
    isolationSecurityGroupId: undefined,
    dnsFirewallDomainListId: undefined,
    timeoutSeconds: 300,
  },
  defender: { liveResponseScript: undefined, timeoutSeconds: 262_800 },
  ssm: { documentPrefix: 'ActionCenter', timeoutSeconds: 3_600 },
};

function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig did not throw');
}

describe('loadConfig defaults', () => {
  it('fills every default from only a table name', () => {
    // Act
    const config = loadConfig({ ...BASE });

    // Assess
    expect(config).toEqual({
      tableName: 'ActionCenter',
      region: 'us-east-1',
      dynamodbEndpoint: undefined,
      stepFunctionsEndpoint: undefined,
      stateMachineArn: undefined,
      alertSource: 'actioncenter.alerts',
      sources: {
        alertSource: 'actioncenter.alerts',
        enabled: ['actioncenter', 'guardduty', 'securityhub', 'securityhub-ocsf', 'defender'],
        minSeverity: 'informational',
      },
      pendingActionTtlSeconds: 604_800,
      historyRetentionSeconds: 180 * 86_400,
      dedupWindowSeconds: 3_600,
      undoWaitSeconds: 20,
      automation: { endpoint: 'semi', email: 'semi' },
      connectors: DEFAULT_CONNECTORS,
      approvalPolicyFile: undefined,
      approvalsRequired: {},
      assetGroups: [],
      defender: undefined,
      cursorSecret: undefined,
      eventBusName: 'default',
      notify: { sla: DEFAULT_SLA_MINUTES, escalation: {}, digestHour: 8 },
      audit: { checkpointSeconds: 300, exportPrefix: 'audit' },
    });
  });

  it('keeps pending actions for 7 days and history for 180 days, in seconds', () => {
    const config = loadConfig({ ...BASE });

    expect(config.pendingActionTtlSeconds).toBe(7 * 24 * 60 * 60);
    expect(config.historyRetentionSeconds).toBe(15_552_000);
  });

  it('reads process.env when no environment is given', () => {
    // test/support/env.ts sets TABLE_NAME for every test process
    expect(loadConfig().tableName).toBe(process.env.TABLE_NAME);
  });
});

describe('loadConfig overrides', () => {
  it('takes every setting from the environment', () => {
    // Prepare
    const env = {
      TABLE_NAME: 'Other',
      AWS_REGION: 'eu-west-1',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      STEPFUNCTIONS_ENDPOINT: 'http://127.0.0.1:8083',
      STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:ActionCenter',
      PENDING_ACTION_TTL_SECONDS: '3600',
      HISTORY_RETENTION_DAYS: '30',
      DEDUP_WINDOW_SECONDS: '60',
      UNDO_WAIT_SECONDS: '0',
      AUTOMATION_LEVEL_ENDPOINT: 'full',
      AUTOMATION_LEVEL_EMAIL: 'none',
      ALERT_SOURCE: 'corp.soc.alerts',
      ALERT_SOURCES: ' actioncenter, guardduty ,guardduty',
      MIN_ALERT_SEVERITY: 'high',
      CURSOR_SECRET: 'a-cursor-key-of-at-least-32-bytes',
      EVENT_BUS_NAME: 'soc-alerts',
      AUDIT_CHECKPOINT_SECONDS: '60',
      AUDIT_KMS_KEY_ID:
        'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      AUDIT_EXPORT_BUCKET: 'audit-export',
      AUDIT_EXPORT_PREFIX: 'chain',
      AUDIT_EXPORT_DIR: '/var/audit',
    };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).toEqual({
      tableName: 'Other',
      region: 'eu-west-1',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      stepFunctionsEndpoint: 'http://127.0.0.1:8083',
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:ActionCenter',
      alertSource: 'corp.soc.alerts',
      sources: {
        alertSource: 'corp.soc.alerts',
        enabled: ['actioncenter', 'guardduty'],
        minSeverity: 'high',
      },
      pendingActionTtlSeconds: 3_600,
      historyRetentionSeconds: 30 * 86_400,
      dedupWindowSeconds: 60,
      undoWaitSeconds: 0,
      automation: { endpoint: 'full', email: 'none' },
      connectors: DEFAULT_CONNECTORS,
      approvalPolicyFile: undefined,
      approvalsRequired: {},
      assetGroups: [],
      defender: undefined,
      cursorSecret: 'a-cursor-key-of-at-least-32-bytes',
      eventBusName: 'soc-alerts',
      notify: { sla: DEFAULT_SLA_MINUTES, escalation: {}, digestHour: 8 },
      audit: {
        checkpointSeconds: 60,
        kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        exportBucket: 'audit-export',
        exportPrefix: 'chain',
        exportDir: '/var/audit',
      },
    });
  });

  it.each([
    ['full', 'full'],
    ['semi', 'none'],
    ['none', 'full'],
  ])('sets endpoint automation %s and email automation %s independently', (endpoint, email) => {
    const config = loadConfig({
      ...BASE,
      AUTOMATION_LEVEL_ENDPOINT: endpoint,
      AUTOMATION_LEVEL_EMAIL: email,
    });

    expect(config.automation).toEqual({ endpoint, email });
  });

  it.each([
    ['trims', '  http://127.0.0.1:8000  ', 'http://127.0.0.1:8000'],
    ['treats blank as unset', '   ', undefined],
    ['treats empty as unset', '', undefined],
  ])('%s optional endpoints', (_, value, expected) => {
    const config = loadConfig({
      ...BASE,
      DYNAMODB_ENDPOINT: value,
      STEPFUNCTIONS_ENDPOINT: value,
      STATE_MACHINE_ARN: value,
    });

    expect(config.dynamodbEndpoint).toBe(expected);
    expect(config.stepFunctionsEndpoint).toBe(expected);
    expect(config.stateMachineArn).toBe(expected);
  });

  it('ignores unrelated environment variables', () => {
    expect(() => loadConfig({ ...BASE, PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });
});

describe('loadConfig errors', () => {
  it('refuses a missing TABLE_NAME with a ConfigError naming it', () => {
    // Act
    const error = configErrorOf({});

    // Assess
    expect(error.code).toBe('ConfigInvalid');
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('TABLE_NAME');
    expect(error.details).toEqual({ problems: [expect.stringContaining('TABLE_NAME')] });
  });

  it('refuses a too-short TABLE_NAME', () => {
    expect(configErrorOf({ TABLE_NAME: 'ab' }).message).toContain('TABLE_NAME is required');
  });

  it.each(['AUTOMATION_LEVEL_ENDPOINT', 'AUTOMATION_LEVEL_EMAIL'])(
    'refuses a bad %s with a ConfigError naming the variable',
    (variable) => {
      // Act
      const error = configErrorOf({ ...BASE, [variable]: 'auto' });

      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(variable);
      expect(error.details).toEqual({
        problems: [expect.stringMatching(new RegExp(`^${variable}: `))],
      });
    },
  );

  it.each(['Full', 'SEMI', 'off', 'true'])(
    'refuses the automation level %j (levels are lower case)',
    (level) => {
      expect(configErrorOf({ ...BASE, AUTOMATION_LEVEL_EMAIL: level }).message).toContain(
        'AUTOMATION_LEVEL_EMAIL',
      );
    },
  );

  it.each(
    ['PENDING_ACTION_TTL_SECONDS', 'HISTORY_RETENTION_DAYS', 'DEDUP_WINDOW_SECONDS'].flatMap(
      (variable) => ['0', '-5', '1.5', 'abc'].map((value) => ({ variable, value })),
    ),
  )('refuses $variable=$value with a ConfigError naming the variable', ({ variable, value }) => {
    expect(configErrorOf({ ...BASE, [variable]: value }).message).toContain(variable);
  });

  it.each([
    ['ALERT_SOURCES', 'guardduty,splunk'],
    ['ALERT_SOURCES', ' , '],
    ['MIN_ALERT_SEVERITY', 'severe'],
  ])('refuses %s=%j with a ConfigError naming the variable', (variable, value) => {
    expect(configErrorOf({ ...BASE, [variable]: value }).message).toContain(variable);
  });

  it('reports every problem at once', () => {
    // Act
    const error = configErrorOf({ AUTOMATION_LEVEL_ENDPOINT: 'x', DEDUP_WINDOW_SECONDS: '0' });

    // Assess
    const { problems } = error.details as { problems: string[] };
    expect(problems).toHaveLength(3);
    for (const variable of ['TABLE_NAME', 'AUTOMATION_LEVEL_ENDPOINT', 'DEDUP_WINDOW_SECONDS']) {
      expect(error.message).toContain(variable);
    }
  });
});

describe('decision link settings', () => {
  it('leave links off without LINK_SECRET, and read the key, TTL and page address with it', () => {
    const on = loadConfig({
      ...BASE,
      LINK_SECRET: 'a-link-key-of-at-least-32-bytes-long',
      LINK_TTL_HOURS: '4',
      PUBLIC_URL: 'https://ac.example.com',
    });

    expect(loadConfig(BASE).links).toBeUndefined();
    expect(on.links).toEqual({
      secret: 'a-link-key-of-at-least-32-bytes-long',
      ttlHours: 4,
      publicUrl: 'https://ac.example.com',
    });
    expect(loadConfig({ ...BASE, LINK_SECRET: on.links?.secret }).links?.ttlHours).toBe(24);
  });

  it('refuse a short key, a TTL past a week and an address that is not http(s), naming each', () => {
    expect(() => loadConfig({ ...BASE, LINK_SECRET: 'short' })).toThrow(/LINK_SECRET/);
    expect(() => loadConfig({ ...BASE, LINK_TTL_HOURS: '169' })).toThrow(/LINK_TTL_HOURS/);
    expect(() => loadConfig({ ...BASE, PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/PUBLIC_URL/);
  });
});

describe('notification settings', () => {
  const LINKS = {
    LINK_SECRET: 'a-link-key-of-at-least-32-bytes-long',
    PUBLIC_URL: 'https://ac.example.com',
  };

  it('send nothing when no channel is set, and read each channel that is', () => {
    const on = loadConfig({
      ...BASE,
      ...LINKS,
      NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/soc',
      NOTIFY_WEBHOOK_SECRET: 'a-signing-secret-of-length',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
      TEAMS_WEBHOOK_URL: 'https://example.webhook.office.com/webhookb2/x',
    });

    expect(loadConfig(BASE).notify).toEqual({
      sla: DEFAULT_SLA_MINUTES,
      escalation: {},
      digestHour: 8,
    });
    expect(on.notify).toEqual({
      webhook: { url: 'https://hooks.example.com/soc', secret: 'a-signing-secret-of-length' },
      slackUrl: 'https://hooks.slack.com/services/T000/B000/XXXX',
      teamsUrl: 'https://example.webhook.office.com/webhookb2/x',
      sla: DEFAULT_SLA_MINUTES,
      escalation: {},
      digestHour: 8,
    });
  });

  it('refuse plain http off this machine, an unsigned or weakly signed webhook, and channels without links, naming each', () => {
    const slack = { ...BASE, ...LINKS, SLACK_WEBHOOK_URL: 'http://hooks.slack.com/x' };
    const unsigned = { ...BASE, ...LINKS, NOTIFY_WEBHOOK_URL: 'https://h.example.com' };
    const weak = { ...unsigned, NOTIFY_WEBHOOK_SECRET: 'short' };
    const noLinks = { ...BASE, TEAMS_WEBHOOK_URL: 'https://example.webhook.office.com/x' };

    expect(() => loadConfig(slack)).toThrow(/SLACK_WEBHOOK_URL: must be https/);
    expect(() => loadConfig(unsigned)).toThrow(/needs NOTIFY_WEBHOOK_SECRET/);
    expect(() => loadConfig(weak)).toThrow(/NOTIFY_WEBHOOK_SECRET: must be at least/);
    expect(() => loadConfig(noLinks)).toThrow(/set LINK_SECRET and PUBLIC_URL/);
    expect(
      loadConfig({ ...BASE, ...LINKS, SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/x' }).notify.slackUrl,
    ).toBe('http://127.0.0.1:9/x');
  });

  it('read an SNS topic ARN of any partition as the sns channel, and know its region', () => {
    const topics = [
      'arn:aws:sns:eu-west-1:123456789012:ActionCenter-Notifications',
      'arn:aws-us-gov:sns:us-gov-west-1:123456789012:soc_alerts',
      'arn:aws-cn:sns:cn-north-1:123456789012:soc',
    ];

    for (const topic of topics) {
      expect(loadConfig({ ...BASE, ...LINKS, NOTIFY_TOPIC_ARN: topic }).notify.topicArn).toBe(
        topic,
      );
    }
    expect(topics.map(topicRegionOf)).toEqual(['eu-west-1', 'us-gov-west-1', 'cn-north-1']);
  });

  it('refuse what is not an SNS standard topic ARN, and a topic without links, naming each', () => {
    const refused = [
      'ActionCenter-Notifications',
      'arn:aws:sqs:eu-west-1:123456789012:queue',
      'arn:aws:sns:eu-west-1:12345:topic',
      'arn:aws:sns:eu-west-1:123456789012:topic.fifo',
      'arn:aws:sns:eu-west-1:123456789012:topic:6b0e71bd-7e97-4d97-80ce-4a0994e55286',
      'arn:aws:sns::123456789012:topic',
      'arn:aws:sns:eu-west-1:123456789012:two words',
    ];

    for (const arn of refused) {
      expect(() => loadConfig({ ...BASE, ...LINKS, NOTIFY_TOPIC_ARN: arn })).toThrow(
        /NOTIFY_TOPIC_ARN: an SNS standard topic ARN/,
      );
      expect(topicRegionOf(arn)).toBeUndefined();
    }
    expect(() =>
      loadConfig({ ...BASE, NOTIFY_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:soc' }),
    ).toThrow(/set LINK_SECRET and PUBLIC_URL/);
  });
});

describe('reminder settings', () => {
  const SLACK = {
    ...BASE,
    LINK_SECRET: 'a-link-key-of-at-least-32-bytes-long',
    PUBLIC_URL: 'https://ac.example.com',
    SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
  };

  it('read SLA minutes over the defaults, and an escalation order of configured channels', () => {
    const config = loadConfig({
      ...SLACK,
      NOTIFY_SLA_MINUTES: '{"critical":5}',
      NOTIFY_ESCALATION: '{"critical":["slack"]}',
    });

    expect(config.notify.sla).toEqual({ ...DEFAULT_SLA_MINUTES, critical: 5 });
    expect(config.notify.escalation).toEqual({ critical: ['slack'] });
  });

  it('take sns in an escalation order once the topic is configured, and not before', () => {
    const topic = { NOTIFY_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:soc' };
    const order = '{"critical":["slack","sns"],"high":["sns"]}';

    const config = loadConfig({ ...SLACK, ...topic, NOTIFY_ESCALATION: order });

    expect(config.notify.escalation).toEqual({ critical: ['slack', 'sns'], high: ['sns'] });
    expect(() => loadConfig({ ...SLACK, NOTIFY_ESCALATION: order })).toThrow(
      /critical must list configured channels \(slack\)/,
    );
  });

  it('send the digest from 08:00 UTC unless NOTIFY_DIGEST_HOUR moves it or turns it off', () => {
    expect(loadConfig(SLACK).notify.digestHour).toBe(8);
    expect(loadConfig({ ...SLACK, NOTIFY_DIGEST_HOUR: '0' }).notify.digestHour).toBe(0);
    expect(loadConfig({ ...SLACK, NOTIFY_DIGEST_HOUR: 'off' }).notify.digestHour).toBeUndefined();
    for (const bad of ['24', '7.5', '-1', 'eight']) {
      expect(() => loadConfig({ ...SLACK, NOTIFY_DIGEST_HOUR: bad })).toThrow(
        /NOTIFY_DIGEST_HOUR: a UTC hour from 0 to 23, or off/,
      );
    }
  });

  it('refuse an unknown severity, a bad duration and a channel that is not configured, naming each', () => {
    expect(() => loadConfig({ ...SLACK, NOTIFY_SLA_MINUTES: '{"urgent":5}' })).toThrow(
      /urgent is not a severity/,
    );
    expect(() => loadConfig({ ...SLACK, NOTIFY_SLA_MINUTES: '{"high":0}' })).toThrow(
      /high must be 1 to 10080 minutes/,
    );
    expect(() => loadConfig({ ...SLACK, NOTIFY_ESCALATION: '{"high":["teams"]}' })).toThrow(
      /must list configured channels \(slack\)/,
    );
    expect(() => loadConfig({ ...SLACK, NOTIFY_ESCALATION: 'not json' })).toThrow(
      /NOTIFY_ESCALATION: not JSON/,
    );
  });
});

describe('required', () => {
  it('returns a present value', () => {
    expect(required('arn:x', 'STATE_MACHINE_ARN')).toBe('arn:x');
  });

  it('returns a present falsy value', () => {
    expect(required(0, 'ZERO')).toBe(0);
    expect(required('', 'EMPTY')).toBe('');
  });

  it('throws a ConfigError naming the missing setting', () => {
    expect(() => required(undefined, 'STATE_MACHINE_ARN')).toThrow(ConfigError);
    expect(() => required(undefined, 'STATE_MACHINE_ARN')).toThrow(/STATE_MACHINE_ARN/);
  });
});

describe('approval settings', () => {
  it('read APPROVALS_REQUIRED as counts by type or category and refuse anything else, naming it', () => {
    expect(
      loadConfig({ ...BASE, APPROVALS_REQUIRED: '{"isolateDevice":2,"email":3}' })
        .approvalsRequired,
    ).toEqual({
      isolateDevice: 2,
      email: 3,
    });
    for (const bad of ['{"isolateDevise":2}', '{"email":0}', '{"email":11}', 'two']) {
      expect(() => loadConfig({ ...BASE, APPROVALS_REQUIRED: bad })).toThrow(/APPROVALS_REQUIRED/);
    }
  });

  it('stop start-up when ASSET_GROUPS_FILE cannot be read, naming the file', () => {
    expect(() => loadConfig({ ...BASE, ASSET_GROUPS_FILE: '/nonexistent/groups.json' })).toThrow(
      /ASSET_GROUPS_FILE: cannot read \/nonexistent\/groups\.json/,
    );
  });
});
