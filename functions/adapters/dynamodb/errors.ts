// Recognising DynamoDB's own errors, whatever SDK layer raised them.
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
