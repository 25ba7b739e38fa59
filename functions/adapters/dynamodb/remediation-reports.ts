// Reports of running remediations (the webhook receiver's callbacks): one item per action, put
// only if absent, so the first report wins and a repeat reads back what was kept.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RemediationReport, RemediationReportStore } from '../../core/remediation-reports.js';
import { isConditionalCheckFailed } from './errors.js';
import { epochSeconds, keys } from './keys.js';

type Item = Record<string, unknown>;

function reportOf(item: Item): RemediationReport {
  const text = (name: string) =>
    typeof item[name] === 'string' ? (item[name] as string) : undefined;
  const detail = text('detail');
  const outcome = text('outcome');
  const receivedAt = String(item.receivedAt);
  if (item.state === 'completed') {
    return { state: 'completed', outcome: outcome ?? '', receivedAt, ...(detail && { detail }) };
  }
  return {
    state: 'failed',
    reason: text('reason') ?? '',
    receivedAt,
    ...(outcome && { outcome }),
    ...(detail && { detail }),
  };
}

export class DynamoRemediationReports implements RemediationReportStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: { tableName: string; historyRetentionSeconds: number },
  ) {}

  async recordOnce(
    actionId: string,
    report: RemediationReport,
  ): Promise<{ recorded: boolean; report: RemediationReport }> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.settings.tableName,
          Item: {
            ...keys.remediationReport(actionId),
            actionId,
            ...report,
            expiresAt: epochSeconds(report.receivedAt) + this.settings.historyRetentionSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { recorded: true, report };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const kept = await this.get(actionId);
    // Kept items are never deleted before their TTL, so the condition failing means one is there.
    return { recorded: false, report: kept ?? report };
  }

  async get(actionId: string): Promise<RemediationReport | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.settings.tableName,
        Key: keys.remediationReport(actionId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? reportOf(out.Item) : undefined;
  }
}
