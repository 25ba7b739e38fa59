import { describe, expect, it } from '@jest/globals';
import { defenderSettingsFrom } from '../../../functions/core/defender-settings.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '66666666-7777-8888-9999-000000000000';

function parse(v: Parameters<typeof defenderSettingsFrom>[0]) {
  const problems: string[] = [];
  return { settings: defenderSettingsFrom(v, problems), problems };
}

describe('Defender settings', () => {
  it('are off, with no problem, when no Defender variable is set', () => {
    expect(parse({})).toEqual({ settings: undefined, problems: [] });
  });

  it('take Microsoft public endpoints, a 60 s poll and a 24 h first look-back by default once tenant, client and secret are set', () => {
    const { settings, problems } = parse({
      DEFENDER_TENANT_ID: TENANT,
      DEFENDER_CLIENT_ID: CLIENT,
      DEFENDER_CLIENT_SECRET: 's3cret',
    });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: { value: 's3cret' },
      loginUrl: 'https://login.microsoftonline.com',
      graphUrl: 'https://graph.microsoft.com',
      mdeApiUrl: 'https://api.security.microsoft.com',
      pollSeconds: 60,
      pollLookbackHours: 24,
    });
  });

  it('name every missing piece when only the tenant is set', () => {
    const { problems } = parse({ DEFENDER_TENANT_ID: TENANT });
    expect(problems).toEqual([
      'DEFENDER_CLIENT_ID: required when DEFENDER_TENANT_ID is set',
      'DEFENDER_CLIENT_SECRET (locally) or DEFENDER_CLIENT_SECRET_ARN (AWS): required when DEFENDER_TENANT_ID is set',
    ]);
  });

  it('refuse a client id without a tenant, plain http to another host, both secrets, and a bad poll period or look-back', () => {
    expect(parse({ DEFENDER_CLIENT_ID: CLIENT }).problems).toEqual([
      'DEFENDER_TENANT_ID: required when DEFENDER_CLIENT_ID is set',
    ]);
    const { problems } = parse({
      DEFENDER_TENANT_ID: TENANT,
      DEFENDER_CLIENT_ID: CLIENT,
      DEFENDER_CLIENT_SECRET: 's',
      DEFENDER_CLIENT_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mde-AbCdEf',
      GRAPH_URL: 'http://graph.example.com',
      DEFENDER_POLL_SECONDS: '-5',
      DEFENDER_POLL_LOOKBACK_HOURS: '5000',
    });
    expect(problems).toEqual([
      'DEFENDER_CLIENT_SECRET and DEFENDER_CLIENT_SECRET_ARN are both set: set only one',
      'GRAPH_URL: must be https (plain http is allowed only for localhost)',
      'DEFENDER_POLL_SECONDS: must be a whole number of seconds from 0 (off) to 86400',
      'DEFENDER_POLL_LOOKBACK_HOURS: must be a whole number of hours from 1 to 4320',
    ]);
  });

  it('allow a local stand-in over plain http and 0 to switch the poller off', () => {
    const { settings, problems } = parse({
      DEFENDER_TENANT_ID: TENANT,
      DEFENDER_CLIENT_ID: CLIENT,
      DEFENDER_CLIENT_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mde-AbCdEf',
      DEFENDER_LOGIN_URL: 'http://127.0.0.1:4100/',
      GRAPH_URL: 'http://127.0.0.1:4100',
      MDE_API_URL: 'http://localhost:4100',
      DEFENDER_POLL_SECONDS: '0',
    });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      clientSecret: { arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mde-AbCdEf' },
      loginUrl: 'http://127.0.0.1:4100',
      pollSeconds: 0,
    });
  });
});
