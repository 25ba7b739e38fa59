// Normalize: validates the execution's alert, merges repeated entities and makes sure the
// investigation exists (ingest records it; an execution started by hand records it here).
import { normalizeAlert, openInvestigation, parseAlert } from '../../core/alert.js';
import { investigationIdFor } from '../../core/ids.js';
import type { AlertDetail } from '../../core/model.js';
import { InvalidAlertError } from '../../core/workflow-errors.js';
import { logger } from '../../observability.js';
import type { WorkflowPorts } from './ports.js';

interface NormalizeEvent {
  investigationId?: string;
  alert: unknown;
}

interface NormalizedAlert {
  investigationId: string;
  alert: AlertDetail;
}

export function createNormalizeHandler(ports: Pick<WorkflowPorts, 'investigations' | 'clock'>) {
  return async (event: NormalizeEvent): Promise<NormalizedAlert> => {
    const parsed = parseAlert(event?.alert);
    if (!parsed.ok) {
      logger.warn('Execution input is not an alert', { problems: parsed.problems });
      throw new InvalidAlertError(`Invalid alert: ${parsed.problems.join('; ')}`, parsed.problems);
    }
    const alert = normalizeAlert(parsed.alert);
    const investigationId = investigationIdFor(alert.alertId);
    if (event.investigationId !== undefined && event.investigationId !== investigationId) {
      throw new InvalidAlertError(
        `Investigation id ${event.investigationId} does not belong to alert ${alert.alertId}`,
      );
    }
    const { created } = await ports.investigations.createOnce(
      openInvestigation(alert, ports.clock()),
    );
    if (created) logger.info('Investigation recorded by the workflow', { investigationId });
    return { investigationId, alert };
  };
}
