// PutEvents for the Defender alert poller: every entry on the configured bus, and the entries
// EventBridge did not accept reported by index with its error code.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { eventBridgePublisher } from '../../../../functions/adapters/eventbridge/event-publisher.js';

const eventBridge = mockClient(EventBridgeClient);
beforeEach(() => eventBridge.reset());

const entry = (id: string) => ({
  source: 'actioncenter.defender',
  detailType: 'Defender XDR Alert',
  detail: JSON.stringify({ id }),
});

describe('the EventBridge publisher', () => {
  it('puts every entry on the configured bus and reports the refused ones by index', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [
        { EventId: 'e-1' },
        { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
      ],
    });
    const publisher = eventBridgePublisher({
      region: 'eu-west-1',
      eventBusName: 'soc-alerts',
      client: new EventBridgeClient({ region: 'eu-west-1' }),
    });

    // Act
    const failures = await publisher.putEvents([entry('a'), entry('b')]);

    // Assess
    expect(eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input).toEqual({
      Entries: [
        {
          Source: 'actioncenter.defender',
          DetailType: 'Defender XDR Alert',
          Detail: '{"id":"a"}',
          EventBusName: 'soc-alerts',
        },
        {
          Source: 'actioncenter.defender',
          DetailType: 'Defender XDR Alert',
          Detail: '{"id":"b"}',
          EventBusName: 'soc-alerts',
        },
      ],
    });
    expect(failures).toEqual([{ index: 1, code: 'ThrottlingException', message: 'Rate exceeded' }]);
  });
});
