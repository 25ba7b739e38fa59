// Microsoft Graph's security alerts (alerts_v2) for the poller: one page at a time, the
// application permission SecurityAlert.Read.All named when Graph refuses, and a Retry-After
// longer than the run can wait turned into GraphThrottled (the next run resumes).
import {
  type AlertsPage,
  type GraphAlertsReader,
  GraphThrottled,
} from '../../services/defender-alerts.js';
import type { MicrosoftApi } from './api.js';
import { MicrosoftApiError } from './errors.js';

export const ALERTS_PERMISSION = 'SecurityAlert.Read.All';

interface AlertsAnswer {
  value?: unknown;
  '@odata.nextLink'?: unknown;
}

export function graphAlertsReader(api: Pick<MicrosoftApi, 'call'>): GraphAlertsReader {
  return {
    async page(url: string, maxWaitMs: number): Promise<AlertsPage> {
      let body: AlertsAnswer | undefined;
      try {
        ({ body } = await api.call<AlertsAnswer | undefined>({
          service: 'graph',
          method: 'GET',
          url,
          permission: ALERTS_PERMISSION,
          maxRetryAfterMs: Math.max(0, maxWaitMs),
        }));
      } catch (error) {
        if (error instanceof MicrosoftApiError && error.status === 429) {
          throw new GraphThrottled(error.message, { cause: error });
        }
        throw error;
      }
      if (!body || !Array.isArray(body.value)) {
        throw new MicrosoftApiError('graph', 'transient', {
          message: 'Microsoft Graph answered the alerts request without a `value` list',
        });
      }
      const next = body['@odata.nextLink'];
      return {
        alerts: body.value,
        ...(typeof next === 'string' && next !== '' && { nextLink: next }),
      };
    },
  };
}
