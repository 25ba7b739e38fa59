// The table's stream records, as far as the functions it triggers read them.
import { keys, QUEUE } from './keys.js';

/** The part of a DynamoDB stream record read here: a new item's keys. */
export interface StreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: { sk?: { S?: string }; queuePk?: { S?: string } } };
}

/** The ids of the actions a stream batch made pending: new items in the pending queue. */
export function pendingActionIdsOf(event: { Records?: StreamRecord[] }): string[] {
  return (event.Records ?? []).flatMap((record) => {
    const image = record.dynamodb?.NewImage;
    const sk = image?.sk?.S ?? '';
    const isNewPending =
      record.eventName === 'INSERT' &&
      image?.queuePk?.S === QUEUE.pending &&
      sk.startsWith(keys.actionPrefix);
    return isNewPending ? [sk.slice(keys.actionPrefix.length)] : [];
  });
}
