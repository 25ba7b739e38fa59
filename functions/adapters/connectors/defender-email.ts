// E-mail through Microsoft Graph. softDeleteEmail and quarantineEmail: POST
// /v1.0/security/collaboration/analyzedEmails/remediate (soft delete; the API cannot move to
// quarantine, `moveToQuarantine` "isn't currently supported", so quarantineEmail moves the message
// to junk, the closest it allows); undo is the same call with moveToInbox. Microsoft answers 202
// Accepted with a link to the portal's Action center and documents no API to read that status.
// disableExternalForwarding removes the inbox rule the evidence names (Graph messageRules),
// keeping a copy of it in the result so undo can put it back.
import type { MicrosoftApi } from '../../adapters/microsoft/index.js';
import type { Action } from '../../core/model.js';
import { TEXT_LIMITS } from '../../core/model.js';
import type { ConnectorOutcome, RemediationProgress } from '../../core/ports.js';
import { ConnectorPermanentError } from '../../core/workflow-errors.js';

const REMEDIATE_PERMISSION = 'SecurityAnalyzedMessage.ReadWrite.All';
const RULES_PERMISSION = 'MailboxSettings.ReadWrite';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const REMEDIATIONS: Partial<Record<Action['type'], { action: string; outcome: string }>> = {
  softDeleteEmail: { action: 'softDelete', outcome: 'EmailSoftDeleteRequested' },
  quarantineEmail: { action: 'moveToJunk', outcome: 'EmailMoveToJunkRequested' },
};

/** The fields of a messageRule that make it again (Graph's create body). */
const RULE_FIELDS = ['displayName', 'sequence', 'isEnabled', 'conditions', 'actions', 'exceptions'];

function messageOf(action: Action): { networkMessageId: string; recipientEmailAddress: string } {
  const { target } = action;
  if (target.kind !== 'emailMessage') {
    throw new ConnectorPermanentError(
      `The defender connector remediates single messages; a ${target.kind} (${target.id}) names no recipient for each of its messages`,
    );
  }
  if (!GUID.test(target.id) || !target.mailbox) {
    throw new ConnectorPermanentError(
      'The message has no network message id and recipient, which Graph remediation needs',
    );
  }
  return { networkMessageId: target.id, recipientEmailAddress: target.mailbox };
}

const graphSeverity = (severity: Action['severity']) =>
  severity === 'informational' ? 'low' : severity === 'critical' ? 'high' : severity;

export class EmailRemediation {
  constructor(private readonly api: MicrosoftApi) {}

  async submit(action: Action): Promise<RemediationProgress> {
    if (action.type === 'disableExternalForwarding') return this.removeRule(action);
    const remediation = REMEDIATIONS[action.type];
    if (!remediation)
      throw new ConnectorPermanentError(`Not an e-mail remediation: ${action.type}`);
    const location = await this.remediate(action, remediation.action);
    return { state: 'completed', outcome: remediation.outcome, detail: acceptedDetail(location) };
  }

  async undo(action: Action): Promise<ConnectorOutcome> {
    if (action.type === 'disableExternalForwarding') return this.restoreRule(action);
    const location = await this.remediate(action, 'moveToInbox');
    return { outcome: 'EmailMoveToInboxRequested', detail: acceptedDetail(location) };
  }

  private async remediate(action: Action, remediationAction: string): Promise<string> {
    const answer = await this.api.call({
      service: 'graph',
      method: 'POST',
      url: '/v1.0/security/collaboration/analyzedEmails/remediate',
      permission: REMEDIATE_PERMISSION,
      body: {
        displayName: `Action Center ${action.id}`,
        description: `${action.type} for alert ${action.alertId}`.slice(0, 500),
        severity: graphSeverity(action.severity),
        action: remediationAction,
        remediateSendersCopy: false,
        analyzedEmails: [messageOf(action)],
      },
    });
    return answer.headers.get('location') ?? '';
  }

  private ruleUrl(action: Action, ruleId?: string): string {
    const mailbox = action.target.mailbox ?? action.target.id;
    const rules = `/v1.0/users/${encodeURIComponent(mailbox)}/mailFolders/inbox/messageRules`;
    return ruleId === undefined ? rules : `${rules}/${encodeURIComponent(ruleId)}`;
  }

  private async removeRule(action: Action): Promise<RemediationProgress> {
    const ruleId = action.target.inboxRuleId;
    if (!ruleId) {
      return { state: 'failed', reason: 'The evidence names no inbox rule to remove' };
    }
    const url = this.ruleUrl(action, ruleId);
    const rule = (
      await this.api.call<Record<string, unknown>>({
        service: 'graph',
        method: 'GET',
        url,
        permission: RULES_PERMISSION,
      })
    ).body;
    try {
      await this.api.call({
        service: 'graph',
        method: 'DELETE',
        url,
        permission: RULES_PERMISSION,
      });
    } catch (error) {
      // Gone between the read and the delete (a retry after a lost answer): removed as asked.
      if (!(error instanceof Error && 'kind' in error && error.kind === 'notFound')) throw error;
    }
    const copy = Object.fromEntries(RULE_FIELDS.filter((f) => f in rule).map((f) => [f, rule[f]]));
    const detail = JSON.stringify({ mailbox: action.target.mailbox, ruleId, rule: copy });
    return {
      state: 'completed',
      outcome: 'InboxRuleRemoved',
      detail:
        detail.length <= TEXT_LIMITS.detail
          ? detail
          : JSON.stringify({ mailbox: action.target.mailbox, ruleId, rule: null }),
    };
  }

  private async restoreRule(action: Action): Promise<ConnectorOutcome> {
    let rule: unknown;
    try {
      rule = (JSON.parse(action.result?.detail ?? '') as { rule?: unknown }).rule;
    } catch {
      rule = undefined;
    }
    if (!rule || typeof rule !== 'object') {
      throw new ConnectorPermanentError(
        'The removed inbox rule was not kept (too large or missing); recreate it by hand',
      );
    }
    const answer = await this.api.call<{ id?: string }>({
      service: 'graph',
      method: 'POST',
      url: this.ruleUrl(action),
      permission: RULES_PERMISSION,
      body: rule,
    });
    return {
      outcome: 'InboxRuleRestored',
      detail: `Inbox rule recreated as ${answer.body?.id ?? '(no id)'}`,
    };
  }
}

function acceptedDetail(location: string): string {
  return `Microsoft accepted the remediation (HTTP 202); its progress is in the Defender portal's Action center${location ? `: ${location}` : ''}`.slice(
    0,
    TEXT_LIMITS.detail,
  );
}
