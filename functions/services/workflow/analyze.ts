// Analyze: the evidence with verdicts and e-mail clusters, kept on the investigation for its page.
import { type Analysis, analyzeAlert } from '../../core/analysis.js';
import type { AlertDetail } from '../../core/model.js';
import type { WorkflowPorts } from './ports.js';

interface AnalyzeEvent {
  investigationId: string;
  alert: AlertDetail;
}

export function createAnalyzeHandler(ports: Pick<WorkflowPorts, 'investigations'>) {
  return async (event: AnalyzeEvent): Promise<Analysis> => {
    const analysis = analyzeAlert(event.alert);
    await ports.investigations.update(event.investigationId, { evidence: analysis.evidence });
    return analysis;
  };
}
