import { ORIGIN_SOURCE_LABELS, safeOriginLink } from '../../../web/src/common/origin.js';

describe('the origin link', () => {
  it('is kept when it is an https URL', () => {
    const link = 'https://console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?fId=abc';

    expect(safeOriginLink(link)).toBe(link);
  });

  it.each([
    'javascript:alert(1)',
    'http://example.com/finding',
    'HTTPS://example.com/finding',
    'data:text/html,<b>x</b>',
    ' https://example.com',
    'https://',
  ])('is left out for %p', (link) => {
    expect(safeOriginLink(link)).toBeUndefined();
  });

  it('is left out when there is none', () => {
    expect(safeOriginLink(undefined)).toBeUndefined();
  });
});

describe('the origin source names', () => {
  it('read as the products operators know', () => {
    expect(ORIGIN_SOURCE_LABELS).toEqual({
      actioncenter: 'Action Center',
      guardduty: 'Amazon GuardDuty',
      securityhub: 'AWS Security Hub',
      'securityhub-ocsf': 'AWS Security Hub (OCSF)',
      defender: 'Microsoft Defender XDR',
    });
  });
});
