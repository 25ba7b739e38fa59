// blockUrl through Defender for Endpoint's indicators: POST /api/indicators with action Block.
// That call creates or UPDATES the indicator of a value, so an indicator someone else made is
// never posted over: the URL is looked up first, and one that exists is left as it is. Undo
// deletes only the indicator this action created, by the id kept in its result.
import type { MicrosoftApi } from '../../adapters/microsoft/index.js';
import type { Action } from '../../core/model.js';
import type { ConnectorOutcome, RemediationProgress } from '../../core/ports.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';

const PERMISSION = 'Ti.ReadWrite.All';

interface Indicator {
  id: string | number;
  indicatorValue: string;
  indicatorType: string;
  action: string;
  title?: string | null;
  description?: string | null;
}

/** What the result keeps: undo deletes the indicator only when `created` is true. */
interface BlockRecord {
  indicatorId: string;
  created: boolean;
  indicatorValue: string;
}

const BLOCKING = new Set(['Block', 'AlertAndBlock', 'BlockAndRemediate']);
const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A URL is a Url indicator; a bare host name a DomainName one. */
function indicatorOf(value: string): { indicatorValue: string; indicatorType: string } {
  const trimmed = value.trim();
  const bareHost = /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(trimmed);
  return { indicatorValue: trimmed, indicatorType: bareHost ? 'DomainName' : 'Url' };
}

const marker = (action: Action) => `Action Center ${action.id}`;

export class IndicatorRemediation {
  constructor(private readonly api: MicrosoftApi) {}

  async submit(action: Action): Promise<RemediationProgress> {
    const { indicatorValue, indicatorType } = indicatorOf(action.target.id);
    const existing = await this.find(indicatorValue);
    if (existing) {
      const ours = existing.description?.startsWith(marker(action)) ?? false;
      if (!ours && !BLOCKING.has(existing.action)) {
        return {
          state: 'failed',
          reason: `Defender for Endpoint already has indicator ${existing.id} for ${indicatorValue} with action ${existing.action}; it was not created by this action and is not changed`,
        };
      }
      return completed({ indicatorId: String(existing.id), created: ours, indicatorValue });
    }
    const answer = await this.api.call<Indicator>({
      service: 'defenderEndpoint',
      method: 'POST',
      url: '/api/indicators',
      permission: PERMISSION,
      body: {
        indicatorValue,
        indicatorType,
        action: 'Block',
        title: `Action Center: block ${indicatorValue}`.slice(0, 200),
        description: `${marker(action)}: ${action.type} for alert ${action.alertId}`,
        severity: severityOf(action.severity),
        generateAlert: false,
      },
    });
    return completed({ indicatorId: String(answer.body.id), created: true, indicatorValue });
  }

  async undo(action: Action): Promise<ConnectorOutcome> {
    const record = recordOf(action);
    if (!record.created) {
      return {
        outcome: 'IndicatorKept',
        detail: `Indicator ${record.indicatorId} for ${record.indicatorValue} was not created by this action and is left in place`,
      };
    }
    try {
      await this.api.call({
        service: 'defenderEndpoint',
        method: 'DELETE',
        url: `/api/indicators/${encodeURIComponent(record.indicatorId)}`,
        permission: PERMISSION,
      });
    } catch (error) {
      // Already deleted (by hand, or it expired): the URL is unblocked as asked.
      if (!(error instanceof Error && 'kind' in error && error.kind === 'notFound')) throw error;
    }
    return {
      outcome: 'UrlUnblocked',
      detail: `Deleted Defender for Endpoint indicator ${record.indicatorId} (${record.indicatorValue})`,
    };
  }

  private async find(indicatorValue: string): Promise<Indicator | undefined> {
    const filter = `indicatorValue eq ${quote(indicatorValue)}`;
    const answer = await this.api.call<{ value?: Indicator[] }>({
      service: 'defenderEndpoint',
      method: 'GET',
      url: `/api/indicators?$filter=${encodeURIComponent(filter)}`,
      permission: PERMISSION,
    });
    return answer.body?.value?.[0];
  }
}

function severityOf(severity: Action['severity']): string {
  return (
    { informational: 'Informational', low: 'Low', medium: 'Medium' }[severity as string] ?? 'High'
  );
}

function completed(record: BlockRecord): RemediationProgress {
  return {
    state: 'completed',
    outcome: record.created ? 'UrlBlocked' : 'UrlAlreadyBlocked',
    detail: JSON.stringify(record),
  };
}

function recordOf(action: Action): BlockRecord {
  try {
    const record = JSON.parse(action.result?.detail ?? '') as Partial<BlockRecord>;
    if (typeof record.indicatorId === 'string' && typeof record.created === 'boolean') {
      return record as BlockRecord;
    }
  } catch {
    // Fall through: a result without the record cannot name the indicator to delete.
  }
  throw new ConnectorPermanentError(
    'The action result does not name the Defender indicator it created; nothing was deleted',
  );
}
