/**
 * Rate-limit counters that every process on the store shares (on AWS, every Lambda environment): one item per
 * key per fixed window, counted with a conditional `UpdateItem` that refuses past the limit, and removed by TTL.
 * The window is part of the key, so an old window is never read again: that is also how they expire where TTL
 * does not exist (dynalite), where they stay behind as a few bytes each.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreConnection } from './client.ts';
import { hashKey } from './ids.ts';

/** Kept well under DynamoDB's 2 KB partition key: longer keys (a client-supplied address, say) are hashed. */
const MAX_KEY_CHARS = 256;
/** How long after its window a counter stays, for DynamoDB TTL (which deletes within days, not at once). */
const EXPIRY_SLACK_S = 60;

export class LimitStore {
  readonly #db: StoreConnection;
  constructor(db: StoreConnection) {
    this.#db = db;
  }

  /**
   * Counts one use of `key` in the current `windowMs` window if fewer than `limit` were counted there, and returns
   * 0; else counts nothing and returns the milliseconds until the window ends.
   */
  async take(key: string, limit: number, windowMs: number, now = Date.now()): Promise<number> {
    const window = Math.floor(now / windowMs);
    const endsAt = (window + 1) * windowMs;
    const id = key.length > MAX_KEY_CHARS ? `#${hashKey(key)}` : key;
    try {
      await this.#db.doc.send(
        new UpdateCommand({
          TableName: this.#db.tables.limits,
          Key: { pk: `${id}@${window}` },
          UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':expiresAt': Math.ceil(endsAt / 1000) + EXPIRY_SLACK_S,
          },
        }),
      );
      return 0;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return endsAt - now;
    }
  }
}
