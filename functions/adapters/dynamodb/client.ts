// One DynamoDB document client per process, honouring the endpoint override (dynalite locally).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.js';
import { tracer } from '../../observability.js';

export function createDocumentClient(
  config: Pick<Config, 'region' | 'dynamodbEndpoint'>,
): DynamoDBDocumentClient {
  const local = config.dynamodbEndpoint !== undefined;
  const client = tracer.captureAWSv3Client(
    new DynamoDBClient({
      region: config.region,
      ...(local && {
        endpoint: config.dynamodbEndpoint,
        // dynalite checks no signatures; placeholder keys keep the SDK from looking for real ones.
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    }),
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
