// The CDK app's parameters: defaults, strings from `-c key=value`, and a named error for a typo.
import { readSettings } from '../../../../infra/aws/settings.js';

const from = (context: Record<string, unknown>) => readSettings((key) => context[key]);

it('has production defaults', () => {
  expect(from({})).toMatchObject({
    stackName: 'ActionCenter',
    eventBusName: 'default',
    eventSource: 'actioncenter.alerts',
    automationLevelEndpoint: 'semi',
    automationLevelEmail: 'semi',
    pendingActionTtlSeconds: 604_800,
    historyRetentionDays: 180,
    logRetentionDays: 180,
    retainData: true,
    threatProtection: false,
    bundling: 'esbuild',
    extraUiOrigins: [],
    alarmEmail: undefined,
  });
});

it('reads the strings the CLI passes', () => {
  expect(
    from({
      pendingActionTtlSeconds: '3600',
      retainData: 'false',
      extraUiOrigins: 'http://localhost:5173/, https://soc.example.com',
      alarmEmail: ' soc@example.com ',
    }),
  ).toMatchObject({
    pendingActionTtlSeconds: 3600,
    retainData: false,
    extraUiOrigins: ['http://localhost:5173', 'https://soc.example.com'],
    alarmEmail: 'soc@example.com',
  });
});

it('names the parameter that is wrong', () => {
  expect(() => from({ automationLevelEmail: 'always' })).toThrow(/automationLevelEmail/);
  expect(() => from({ logRetentionDays: '42' })).toThrow(/logRetentionDays: one of 1, 3, 5/);
  expect(() => from({ alarmEmail: 'not-an-address' })).toThrow(/alarmEmail/);
});

it('reads the notifications e-mail addresses as a comma list, once each, and refuses one that is not an address', () => {
  expect(from({}).notifyEmails).toEqual([]);
  expect(from({ notifyEmails: '' }).notifyEmails).toEqual([]);
  expect(
    from({ notifyEmails: ' soc@example.com,lead@example.com , soc@example.com,' }).notifyEmails,
  ).toEqual(['soc@example.com', 'lead@example.com']);
  expect(from({ notifyEmails: ['oncall@example.com'] }).notifyEmails).toEqual([
    'oncall@example.com',
  ]);
  expect(() => from({ notifyEmails: 'soc@example.com, soc at example.com' })).toThrow(
    /notifyEmails\.1: Invalid email address/,
  );
});

it('takes the digest hour as a number or a string, or off, and refuses any other hour at synthesis', () => {
  expect(from({}).notifyDigestHour).toBeUndefined();
  expect(from({ notifyDigestHour: 6 }).notifyDigestHour).toBe('6');
  expect(from({ notifyDigestHour: ' off ' }).notifyDigestHour).toBe('off');
  expect(() => from({ notifyDigestHour: '25' })).toThrow(
    /notifyDigestHour: NOTIFY_DIGEST_HOUR: a UTC hour from 0 to 23, or off/,
  );
});
