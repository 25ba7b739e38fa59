// Microsoft Graph's e-mail remediation as the stand-in serves it (published samples:
// test/fixtures/microsoft/README.md): analyzedEmails/remediate answers 202 Accepted with the
// Action center link in Location and records the request; a mailbox's inbox rules (messageRules)
// can be read, deleted and created.
import { randomUUID } from 'node:crypto';
import type { StandInAnswer, StandInRoute } from './standin.js';

export interface GraphEmailState {
  /** Every remediation asked for, as sent. */
  remediations: Record<string, unknown>[];
  /** Inbox rules by mailbox, then rule id. */
  rules: Map<string, Map<string, Record<string, unknown>>>;
}

const ACTIONS = ['moveToJunk', 'moveToInbox', 'hardDelete', 'softDelete', 'moveToDeletedItems'];

const error = (status: number, code: string, message: string): StandInAnswer => ({
  status,
  body: { error: { code, message } },
});

export function graphEmailRoutes(tenantId: string): {
  routes: StandInRoute[];
  state: GraphEmailState;
} {
  const state: GraphEmailState = { remediations: [], rules: new Map() };
  const rulesOf = (mailbox: string) => {
    const key = decodeURIComponent(mailbox).toLowerCase();
    let rules = state.rules.get(key);
    if (!rules) {
      rules = new Map();
      state.rules.set(key, rules);
    }
    return rules;
  };
  const RULES = '^/v1\\.0/users/([^/]+)/mailFolders/inbox/messageRules';
  const routes: StandInRoute[] = [
    {
      service: 'graph',
      method: 'POST',
      path: /^\/v1\.0\/security\/collaboration\/analyzedEmails\/remediate$/,
      permission: 'SecurityAnalyzedMessage.ReadWrite.All',
      handle: (request) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const emails = body.analyzedEmails;
        if (
          !ACTIONS.includes(String(body.action)) ||
          !Array.isArray(emails) ||
          emails.length === 0
        ) {
          return error(400, 'BadRequest', 'action and analyzedEmails are required');
        }
        state.remediations.push(body);
        const bulkId = randomUUID();
        return {
          status: 202,
          headers: {
            location: `https://security.microsoft.com/action-center/history?filters={"bulkId":["${bulkId}"]}&tid=${tenantId}`,
            'content-length': '0',
          },
        };
      },
    },
    {
      service: 'graph',
      method: 'GET',
      path: new RegExp(`${RULES}/([^/]+)$`),
      permission: 'MailboxSettings.ReadWrite',
      handle: (_request, match) => {
        const rule = rulesOf(match[1] ?? '').get(decodeURIComponent(match[2] ?? ''));
        return rule
          ? { status: 200, body: rule }
          : error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      },
    },
    {
      service: 'graph',
      method: 'DELETE',
      path: new RegExp(`${RULES}/([^/]+)$`),
      permission: 'MailboxSettings.ReadWrite',
      handle: (_request, match) =>
        rulesOf(match[1] ?? '').delete(decodeURIComponent(match[2] ?? ''))
          ? { status: 204 }
          : error(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'),
    },
    {
      service: 'graph',
      method: 'POST',
      path: new RegExp(`${RULES}$`),
      permission: 'MailboxSettings.ReadWrite',
      handle: (request, match) => {
        const id = `AQAAAJ5dZqA${randomUUID().replace(/-/g, '').slice(0, 8)}=`;
        const rule = {
          '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${match[1]}')/mailFolders('inbox')/messageRules/$entity`,
          id,
          ...(request.body as object),
          hasError: false,
          isReadOnly: false,
        };
        rulesOf(match[1] ?? '').set(id, rule);
        return { status: 201, body: rule };
      },
    },
  ];
  return { routes, state };
}
