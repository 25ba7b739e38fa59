import type { EventBridgeEvent } from 'aws-lambda';
import { alertRules, defaultSourceSettings } from '../../../../../functions/ingest/rule.js';
import { createEventBus } from '../../../../../infra/local/http/event-bus.js';

type Event = EventBridgeEvent<string, unknown>;

function busOn(busName = 'default') {
  const delivered: Event[] = [];
  const bus = createEventBus({
    rules: alertRules(defaultSourceSettings()),
    busName,
    region: 'eu-west-1',
    deliver: (events) => delivered.push(...events),
  });
  return { bus, delivered };
}

const alertEntry = (extra: Record<string, unknown> = {}) => ({
  Source: 'actioncenter.alerts',
  DetailType: 'Security Alert',
  Detail: JSON.stringify({ alertId: 'a-1' }),
  ...extra,
});
const put = (bus: ReturnType<typeof busOn>['bus'], entries: unknown) =>
  bus.putEvents(JSON.stringify({ Entries: entries }));

describe('the EventBridge stand-in, PutEvents', () => {
  it('answers an EventId at once and hands the event to the rule target afterwards', () => {
    const { bus, delivered } = busOn();

    const answer = put(bus, [alertEntry()]);

    expect(answer.status).toBe(200);
    const entries = (answer.body as { Entries: { EventId: string }[] }).Entries;
    expect(entries[0]?.EventId).toEqual(expect.any(String));
    expect(delivered.map((e) => e.id)).toEqual([entries[0]?.EventId]);
  });

  it('takes Time as epoch seconds (what the SDK and CLI send) or as an ISO string', () => {
    const { bus, delivered } = busOn();

    const answer = put(bus, [
      alertEntry({ Time: 1_764_600_000.5 }),
      alertEntry({ Time: '2026-11-23T10:00:00.000Z' }),
    ]);

    expect(answer.body).toMatchObject({ FailedEntryCount: 0 });
    expect(delivered.map((e) => e.time)).toEqual(['2025-12-01T14:40:00Z', '2026-11-23T10:00:00Z']);
  });

  it('answers each bad entry with AWS error codes and still accepts the good ones', () => {
    const { bus, delivered } = busOn();

    const answer = put(bus, [
      alertEntry({ Source: undefined }),
      alertEntry({ DetailType: '' }),
      alertEntry({ Detail: 'not json' }),
      alertEntry({ Detail: '[1,2]' }),
      alertEntry({ Time: 'yesterday' }),
      alertEntry(),
    ]);

    expect(answer.body).toMatchObject({
      FailedEntryCount: 5,
      Entries: [
        { ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('Source') },
        { ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('DetailType') },
        { ErrorCode: 'MalformedDetail' },
        { ErrorCode: 'MalformedDetail' },
        { ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('Time') },
        { EventId: expect.any(String) },
      ],
    });
    expect(delivered).toHaveLength(1);
  });

  it('refuses a request of no entry or more than ten as a ValidationException', () => {
    const { bus } = busOn();

    const none = put(bus, []);
    const eleven = put(
      bus,
      Array.from({ length: 11 }, () => alertEntry()),
    );
    const missing = bus.putEvents('{}');

    for (const answer of [none, eleven, missing]) {
      expect(answer).toMatchObject({ status: 400, body: { __type: 'ValidationException' } });
    }
  });

  it('refuses entries over 256 KiB in all, counted as AWS counts them', () => {
    const { bus, delivered } = busOn();
    const detail = JSON.stringify({ alertId: 'big', pad: 'x'.repeat(90 * 1024) });

    const answer = put(
      bus,
      [1, 2, 3].map(() => alertEntry({ Detail: detail })),
    );

    expect(answer).toMatchObject({
      status: 400,
      body: {
        __type: 'ValidationException',
        message: 'Total size of the entries in the request is over the limit.',
      },
    });
    expect(delivered).toHaveLength(0);
  });

  it('answers a body it cannot read as a SerializationException', () => {
    const { bus } = busOn();

    const notJson = bus.putEvents('{"Entries":');
    const wrongType = put(bus, [alertEntry({ Detail: 42 })]);

    expect(notJson).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
    expect(wrongType).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
  });

  it('accepts an event for another bus, by name or ARN, and delivers it nowhere', () => {
    const { bus, delivered } = busOn('alerts');

    const answer = put(bus, [
      alertEntry({ EventBusName: 'other' }),
      alertEntry({ EventBusName: 'arn:aws:events:eu-west-1:000000000000:event-bus/other' }),
      alertEntry(),
      alertEntry({ EventBusName: 'alerts' }),
      alertEntry({ EventBusName: 'arn:aws:events:eu-west-1:000000000000:event-bus/alerts' }),
    ]);

    expect(answer.body).toMatchObject({ FailedEntryCount: 0 });
    expect(delivered).toHaveLength(2);
  });
});
