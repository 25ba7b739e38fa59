// Notifying new pending actions: one message per investigation for the actions that became
// pending together, each with a decision link, to every channel; a batch is sent once whatever
// retries its trigger makes; a channel that does not take it is logged and counted while the
// others still get it; decided or lapsed actions are not announced.

import { pendingActionIdsOf } from '../../../functions/adapters/dynamodb/stream.js';
import { verifyLink } from '../../../functions/core/decision-links.js';
import { NotFoundError } from '../../../functions/core/errors.js';
import type { Action } from '../../../functions/core/model.js';
import type { NotificationChannel } from '../../../functions/core/ports.js';
import { type NotifyPorts, notifyPending } from '../../../functions/services/notify.js';
import { newPendingActionIds } from '../../../infra/local/outbox-trigger.js';
import { makeAction, makeInvestigation, plus, T0 } from '../../fixtures/actions.js';
import { type MetricsRecorder, recordMetrics } from '../../support/metrics.js';
import { memoryClaims, recordingChannel } from '../../support/notify-fakes.js';

const KEY = 'unit-notify-link-key-0123456789abcdef';
const NOW = plus(T0, 60);

const channel = recordingChannel;

/** Ports over investigations of the given actions (grouped by their investigation). */
function portsFor(actions: Action[], channels: NotificationChannel[]): NotifyPorts {
  return {
    investigations: {
      get: async (id: string) => {
        const own = actions.filter((a) => a.investigationId === id);
        if (own.length === 0) throw new NotFoundError(`Investigation ${id} not found`);
        return {
          investigation: makeInvestigation({ id, title: 'Dropper on a laptop', severity: 'high' }),
          evidence: [],
          actions: own,
        };
      },
    },
    claims: memoryClaims(),
    channels,
    links: { key: KEY, ttlHours: 24, publicUrl: 'https://ac.example.com' },
    clock: () => NOW,
  };
}

let metrics: MetricsRecorder;
beforeEach(() => {
  metrics = recordMetrics();
});
afterEach(() => metrics.restore());

describe('notifyPending', () => {
  it('sends one message per investigation, each action with a link that names it', async () => {
    const first = makeAction({ createdAt: T0.toISOString() });
    const second = makeAction({
      alertId: first.alertId,
      targetId: 'b.exe',
      createdAt: T0.toISOString(),
    });
    const other = makeAction({ createdAt: T0.toISOString() });
    const webhook = channel('webhook');

    const summary = await notifyPending(portsFor([first, second, other], [webhook]), [
      first.id,
      second.id,
      other.id,
    ]);

    expect(summary).toEqual({ messages: 2, failed: 0 });
    const [mine] = webhook.sent.filter((m) => m.investigation?.id === first.investigationId);
    expect(mine).toMatchObject({
      event: 'ActionsPending',
      investigation: { title: 'Dropper on a laptop', severity: 'high' },
      sentAt: NOW.toISOString(),
    });
    expect(mine?.actions.map((a) => a.id)).toEqual([first.id, second.id]);
    for (const a of mine?.actions ?? []) {
      const token = a.link.replace('https://ac.example.com/#/decide/', '');
      expect(verifyLink(token, KEY).actionId).toBe(a.id);
    }
    expect(metrics.total('NotificationsSent')).toBe(2);
  });

  it('sends a batch once, however often its trigger is retried', async () => {
    const action = makeAction({ createdAt: T0.toISOString() });
    const webhook = channel('webhook');
    const ports = portsFor([action], [webhook]);

    await notifyPending(ports, [action.id]);
    const again = await notifyPending(ports, [action.id]);

    expect(again.messages).toBe(0);
    expect(webhook.sent).toHaveLength(1);
  });

  it('sends a batch again when the run that sent it stopped before recording it (at least once)', async () => {
    const action = makeAction({ createdAt: T0.toISOString() });
    const webhook = channel('webhook');
    const ports = portsFor([action], [webhook]);
    const record = ports.claims.claim;
    ports.claims.claim = async () => {
      throw new Error('the function timed out');
    };

    await expect(notifyPending(ports, [action.id])).rejects.toThrow('timed out');
    ports.claims.claim = record;
    await notifyPending(ports, [action.id]);
    const third = await notifyPending(ports, [action.id]);

    expect(webhook.sent).toHaveLength(2);
    expect(third.messages).toBe(0);
  });

  it('still sends to the other channels when one fails, and counts the failure', async () => {
    const action = makeAction({ createdAt: T0.toISOString() });
    const slack = channel('slack', true);
    const teams = channel('teams');

    const summary = await notifyPending(portsFor([action], [slack, teams]), [action.id]);

    expect(summary).toEqual({ messages: 1, failed: 1 });
    expect(teams.sent).toHaveLength(1);
    expect(metrics.total('NotificationsFailed')).toBe(1);
  });

  it('announces nothing decided, lapsed or gone, and nothing without channels', async () => {
    const decided = { ...makeAction({ createdAt: T0.toISOString() }), status: 'Rejected' as const };
    const lapsed = makeAction({ createdAt: plus(T0, -604_800).toISOString() });
    const gone = makeAction();
    const webhook = channel('webhook');

    const summary = await notifyPending(portsFor([decided, lapsed], [webhook]), [
      decided.id,
      lapsed.id,
      gone.id,
    ]);
    const none = await notifyPending(portsFor([makeAction()], []), [makeAction().id]);

    expect(summary.messages).toBe(0);
    expect(webhook.sent).toEqual([]);
    expect(none.messages).toBe(0);
  });
});

describe('what starts the notifier', () => {
  const id = 'act-0123456789abcdef0123-0123456789ab';

  it('in AWS, the stream records of new pending action items', () => {
    const record = (eventName: string, queuePk: string, sk = `ACTION#${id}`) => ({
      eventName,
      dynamodb: { NewImage: { sk: { S: sk }, queuePk: { S: queuePk } } },
    });

    expect(
      pendingActionIdsOf({
        Records: [
          record('INSERT', 'PENDING'),
          record('MODIFY', 'PENDING'),
          record('INSERT', 'CALLBACK'),
          record('INSERT', 'PENDING', 'INV'),
        ],
      }),
    ).toEqual([id]);
  });

  it("locally, the runtime's accepted PutItems of new pending action items", () => {
    const put = Buffer.from(
      JSON.stringify({
        TableName: 't',
        Item: { pk: { S: 'INV#x' }, sk: { S: `ACTION#${id}` }, queuePk: { S: 'PENDING' } },
      }),
    );

    expect(newPendingActionIds('DynamoDB_20120810.PutItem', put)).toEqual([id]);
    expect(newPendingActionIds('DynamoDB_20120810.UpdateItem', put)).toEqual([]);
    expect(newPendingActionIds('DynamoDB_20120810.PutItem', Buffer.from('{"Item":{}}'))).toEqual(
      [],
    );
  });
});
