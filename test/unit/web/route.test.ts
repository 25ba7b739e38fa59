import { hrefOf, parseRoute } from '../../../web/src/common/route.js';

describe('the rejected alerts route', () => {
  it('is reached from its own link', () => {
    expect(parseRoute(hrefOf.rejectedAlerts())).toEqual({ page: 'rejectedAlerts' });
  });

  it('leaves other alert paths on the pending tab', () => {
    expect(parseRoute('#/alerts')).toEqual({ page: 'actions', tab: 'pending' });
  });
});
