// The defender connector's URL blocking (Defender for Endpoint indicators) and e-mail remediation
// (Microsoft Graph) against the local stand-in: exact calls, and undo that touches only what the
// action itself made.
import { afterEach, describe, expect, it } from '@jest/globals';
import { DefenderConnector } from '../../../../functions/adapters/connectors/defender.js';
import type { Action } from '../../../../functions/core/model.js';
import type { RemediationProgress } from '../../../../functions/core/ports.js';
import { makeAction } from '../../../fixtures/actions.js';
import { completedOutcome } from '../../../support/connector-progress.js';
import { type DefenderStandIn, startDefenderStandIn } from '../../../support/defender-standin.js';

let defender: DefenderStandIn | undefined;
afterEach(() => defender?.standIn.close());

function connector(d: DefenderStandIn) {
  return new DefenderConnector({
    api: d.api,
    // URL and e-mail remediation never open a live response session.
    pacing: {
      take: () => Promise.reject(new Error('no live response here')),
      release: () => Promise.reject(new Error('no live response here')),
    },
    timeoutSeconds: 262_800,
    now: d.now,
  });
}

/** The action as the workflow keeps it once Completed with this progress. */
const completed = (action: Action, progress: RemediationProgress): Action => ({
  ...action,
  status: 'Completed',
  result: { ...completedOutcome(progress), at: '2026-11-01T12:05:00.000Z' },
});

const blockUrl = (url: string) =>
  makeAction({
    type: 'blockUrl',
    category: 'email',
    target: { kind: 'url', id: url, displayName: url },
  });

describe('defender connector: blockUrl', () => {
  it('creates a Block indicator for the URL, and undo deletes that indicator only', async () => {
    // Prepare: someone else's indicator exists for another URL
    defender = await startDefenderStandIn();
    const c = connector(defender);
    defender.endpoint.indicators.set('42', {
      id: '42',
      indicatorValue: 'http://other.example/',
      indicatorType: 'Url',
      action: 'Block',
      description: 'the SOC',
    });
    const action = blockUrl('http://phish.example/login');

    // Act
    const progress = await c.submit(action);
    const undone = await c.undo(completed(action, progress));

    // Assess
    expect(progress).toMatchObject({ state: 'completed', outcome: 'UrlBlocked' });
    const [lookup] = defender.calls('GET', /^\/api\/indicators$/);
    expect(lookup?.query).toEqual({ $filter: "indicatorValue eq 'http://phish.example/login'" });
    const [post] = defender.calls('POST', /^\/api\/indicators$/);
    expect(post?.headers['content-type']).toBe('application/json');
    expect(post?.body).toEqual({
      indicatorValue: 'http://phish.example/login',
      indicatorType: 'Url',
      action: 'Block',
      title: 'Action Center: block http://phish.example/login',
      description: `Action Center ${action.id}: blockUrl for alert ${action.alertId}`,
      severity: 'High',
      generateAlert: false,
    });
    const created = JSON.parse((progress as { detail: string }).detail).indicatorId as string;
    expect(undone).toEqual({
      outcome: 'UrlUnblocked',
      detail: `Deleted Defender for Endpoint indicator ${created} (http://phish.example/login)`,
    });
    expect(defender.calls('DELETE', /^\/api\/indicators\//).map((r) => r.path)).toEqual([
      `/api/indicators/${created}`,
    ]);
    expect([...defender.endpoint.indicators.keys()]).toEqual(['42']);
  });

  it('leaves an indicator someone else created for the URL as it is, and undo does not delete it', async () => {
    defender = await startDefenderStandIn();
    const c = connector(defender);
    defender.endpoint.indicators.set('42', {
      id: '42',
      indicatorValue: 'http://phish.example/',
      indicatorType: 'Url',
      action: 'AlertAndBlock',
      description: 'the SOC',
    });
    const action = blockUrl('http://phish.example/');

    const progress = await c.submit(action);
    const undone = await c.undo(completed(action, progress));

    expect(progress).toMatchObject({ state: 'completed', outcome: 'UrlAlreadyBlocked' });
    expect(undone.outcome).toBe('IndicatorKept');
    expect(defender.calls('POST', /^\/api\/indicators$/)).toHaveLength(0);
    expect(defender.calls('DELETE', /^\/api\/indicators\//)).toHaveLength(0);
    expect(defender.endpoint.indicators.has('42')).toBe(true);
  });
});

const message = (type: 'softDeleteEmail' | 'quarantineEmail') =>
  makeAction({
    type,
    category: 'email',
    severity: 'medium',
    target: {
      kind: 'emailMessage',
      id: '73ca4154-58d8-43d0-a890-08dc18c52e6d',
      displayName: 'Invoice overdue',
      mailbox: 'hannah.jarvis@contoso.com',
    },
  });

describe('defender connector: e-mail', () => {
  it('soft-deletes the message through Graph remediate, and undo moves it back to the inbox', async () => {
    defender = await startDefenderStandIn();
    const c = connector(defender);
    const action = message('softDeleteEmail');

    const progress = await c.submit(action);
    const undone = await c.undo(completed(action, progress));

    const remediations = defender.calls(
      'POST',
      /^\/v1\.0\/security\/collaboration\/analyzedEmails\/remediate$/,
    );
    expect(remediations.map((r) => r.body)).toEqual([
      {
        displayName: `Action Center ${action.id}`,
        description: `softDeleteEmail for alert ${action.alertId}`,
        severity: 'medium',
        action: 'softDelete',
        remediateSendersCopy: false,
        analyzedEmails: [
          {
            networkMessageId: '73ca4154-58d8-43d0-a890-08dc18c52e6d',
            recipientEmailAddress: 'hannah.jarvis@contoso.com',
          },
        ],
      },
      expect.objectContaining({ action: 'moveToInbox' }),
    ]);
    expect(remediations[0]?.headers.authorization).toMatch(/^Bearer standin\.graph\./);
    expect(progress).toMatchObject({
      state: 'completed',
      outcome: 'EmailSoftDeleteRequested',
      detail: expect.stringMatching(
        /^Microsoft accepted the remediation \(HTTP 202\); its progress is in the Defender portal's Action center: https:\/\/security\.microsoft\.com\/action-center\/history\?filters=/,
      ),
    });
    expect(undone.outcome).toBe('EmailMoveToInboxRequested');
  });

  it('moves a suspicious message to junk: the API cannot move to quarantine', async () => {
    defender = await startDefenderStandIn();

    await connector(defender).submit(message('quarantineEmail'));

    expect(defender.email.remediations.map((r) => r.action)).toEqual(['moveToJunk']);
  });

  it('refuses an e-mail cluster: Graph needs each message with its recipient', async () => {
    defender = await startDefenderStandIn();
    const cluster = makeAction({
      type: 'softDeleteEmail',
      category: 'email',
      target: { kind: 'emailCluster', id: 'c-1', displayName: 'cluster', clusterId: 'c-1' },
    });

    await expect(connector(defender).submit(cluster)).rejects.toMatchObject({
      name: 'ConnectorPermanentError',
      message: expect.stringContaining('remediates single messages'),
    });
    expect(defender.email.remediations).toHaveLength(0);
  });

  it('removes the forwarding inbox rule the evidence names, and undo puts it back', async () => {
    defender = await startDefenderStandIn();
    const c = connector(defender);
    const rule = {
      id: 'AQAAAJ5dZqA=',
      displayName: 'From partner',
      sequence: 2,
      isEnabled: true,
      conditions: { senderContains: ['adele'] },
      actions: {
        forwardTo: [{ emailAddress: { name: 'Alex', address: 'alex@fabrikam.com' } }],
        stopProcessingRules: true,
      },
      exceptions: null,
      hasError: false,
      isReadOnly: false,
    };
    defender.email.rules.set('megan@contoso.com', new Map([[rule.id, rule]]));
    const action = makeAction({
      type: 'disableExternalForwarding',
      category: 'email',
      target: {
        kind: 'mailbox',
        id: 'megan@contoso.com',
        displayName: 'megan@contoso.com (forwarding rule)',
        mailbox: 'megan@contoso.com',
        inboxRuleId: rule.id,
      },
    });

    const progress = await c.submit(action);
    const undone = await c.undo(completed(action, progress));

    const rulePath = '/v1.0/users/megan%40contoso.com/mailFolders/inbox/messageRules';
    expect(defender.calls('DELETE', /messageRules/).map((r) => r.path)).toEqual([
      `${rulePath}/AQAAAJ5dZqA%3D`,
    ]);
    expect(progress).toMatchObject({ state: 'completed', outcome: 'InboxRuleRemoved' });
    const [recreate] = defender.calls('POST', /messageRules$/);
    expect(recreate?.body).toEqual({
      displayName: 'From partner',
      sequence: 2,
      isEnabled: true,
      conditions: { senderContains: ['adele'] },
      actions: rule.actions,
      exceptions: null,
    });
    expect(undone.outcome).toBe('InboxRuleRestored');
    expect(defender.email.rules.get('megan@contoso.com')?.size).toBe(1);
  });

  it('fails the action when the rule is already gone (404), saying so', async () => {
    defender = await startDefenderStandIn();
    const action = makeAction({
      type: 'disableExternalForwarding',
      category: 'email',
      target: {
        kind: 'mailbox',
        id: 'megan@contoso.com',
        displayName: 'm',
        mailbox: 'megan@contoso.com',
        inboxRuleId: 'gone',
      },
    });

    const progress = await connector(defender).submit(action);

    expect(progress).toEqual({
      state: 'failed',
      outcome: 'NotFound',
      reason:
        'Microsoft Graph answered HTTP 404 ErrorItemNotFound: The specified object was not found in the store.',
    });
  });
});
