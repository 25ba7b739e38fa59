// The built-in connector when its table misbehaves: transient for the workflow to retry.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BuiltinConnector,
  describeChange,
} from '../../../../functions/adapters/connectors/builtin.js';
import { makeAction } from '../../../fixtures/actions.js';
import { completedOutcome } from '../../../support/connector-progress.js';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const mock = mockClient(doc);
const connector = new BuiltinConnector(
  doc,
  { tableName: 'T', historyRetentionSeconds: 60 },
  () => new Date('2026-11-01T12:00:00Z'),
);

beforeEach(() => mock.reset());

it('turns throttling into ConnectorTransientError', async () => {
  mock
    .on(PutCommand)
    .rejects(
      Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }),
    );

  await expect(connector.submit(makeAction())).rejects.toMatchObject({
    name: 'ConnectorTransientError',
  });
});

it('answers a repeated execute from the journal without writing twice', async () => {
  mock
    .on(PutCommand)
    .rejects(Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' }));
  mock.on(GetCommand).resolves({ Item: { state: 'applied' } });

  const outcome = completedOutcome(await connector.submit(makeAction()));

  expect(outcome.outcome).toBe('FileQuarantined');
});

it('describes the change in one line', () => {
  const action = makeAction({
    type: 'softDeleteEmail',
    category: 'email',
    target: {
      kind: 'emailCluster',
      id: 'c1',
      clusterId: 'c1',
      displayName: 'Wave',
      messageCount: 12,
    },
  });

  expect(describeChange(action)).toBe('Soft-delete email Wave (12 messages)');
});
