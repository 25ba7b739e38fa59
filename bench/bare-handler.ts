// The cold-start baseline: a handler that only creates a DynamoDB client (bundled like the rest).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

export const handler = async () => ({ ok: client.config.apiVersion });
