/** Write helpers the stores share: conditional writes that may lose, and batch puts that may be left unprocessed. */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreConnection } from './client.ts';

/** DynamoDB's BatchWriteItem bound, and how often unprocessed items are sent again. */
const BATCH = 25;
const BATCH_ATTEMPTS = 4;

/** The write's output, or undefined when its condition failed (another writer got there first). */
export async function conditionally<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}

/**
 * Puts `items` into `table`, 25 per request; what DynamoDB leaves unprocessed is sent again, a few times, then
 * reported as an error naming `what`.
 */
export async function batchPut(
  db: StoreConnection,
  table: string,
  items: readonly Record<string, unknown>[],
  what: string,
): Promise<void> {
  const requests = items.map((Item) => ({ PutRequest: { Item } }));
  await Promise.all(
    Array.from({ length: Math.ceil(requests.length / BATCH) }, async (_, n) => {
      let pending = requests.slice(n * BATCH, (n + 1) * BATCH);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === BATCH_ATTEMPTS) throw new Error(`${pending.length} ${what} items were left unwritten`);
        const { UnprocessedItems } = await db.doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (UnprocessedItems?.[table] ?? []) as typeof pending;
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }),
  );
}
