/**
 * Endpoint calls of an acorn, newest first, kept `INVOCATION_RETENTION_DAYS`: one item per call under the acorn's
 * partition, sorted by time. DynamoDB deletes expired items by TTL (`expiresAt`); the embedded store has no TTL, so
 * reads skip them too.
 */
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Invocation } from '@squirrelbin/schemas';
import type { ListResult } from './acorns.ts';
import type { StoreConnection } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { newId } from './ids.ts';

export const INVOCATION_RETENTION_DAYS = 7;
const day = 86_400_000;

const partition = (acornId: string) => `ACORN#${acornId}`;
const SK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_-]{16,64}$/;
/** DynamoDB's BatchWriteItem bound, and how often unprocessed items are sent again. */
const BATCH = 25;
const BATCH_ATTEMPTS = 4;
/** Reads one list request may make while skipping expired items. */
const LIST_READS = 4;

export type NewInvocation = Omit<Invocation, 'id' | 'createdAt'>;

export class InvocationStore {
  readonly #db: StoreConnection;
  readonly #retentionMs: number;
  constructor(db: StoreConnection, retentionDays = INVOCATION_RETENTION_DAYS) {
    this.#db = db;
    this.#retentionMs = retentionDays * day;
  }

  /** The call as it will be stored, with its id and time. */
  prepare(call: NewInvocation, now = new Date()): Invocation {
    return { id: newId(), createdAt: now.toISOString(), ...call };
  }

  async record(call: NewInvocation, now = new Date()): Promise<Invocation> {
    const invocation = this.prepare(call, now);
    await this.#db.doc.send(new PutCommand({ TableName: this.#db.tables.invocations, Item: this.#item(invocation) }));
    return invocation;
  }

  /**
   * Writes prepared invocations in batches of 25 (one request each instead of one per call); what DynamoDB leaves
   * unprocessed is sent again, a few times, then reported as an error.
   */
  async recordBatch(invocations: readonly Invocation[]): Promise<void> {
    for (let i = 0; i < invocations.length; i += BATCH) {
      let requests = invocations.slice(i, i + BATCH).map((invocation) => ({ PutRequest: { Item: this.#item(invocation) } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt === BATCH_ATTEMPTS) throw new Error(`${requests.length} invocations were left unwritten`);
        const { UnprocessedItems } = await this.#db.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.#db.tables.invocations]: requests } }),
        );
        requests = (UnprocessedItems?.[this.#db.tables.invocations] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  #item(invocation: Invocation) {
    return {
      pk: partition(invocation.acornId),
      sk: `${invocation.createdAt}#${invocation.id}`,
      expiresAt: Math.floor((Date.parse(invocation.createdAt) + this.#retentionMs) / 1000),
      ...invocation,
    };
  }

  /** Newest first. Expired items are skipped (the embedded store keeps them until something deletes them). */
  async list(
    acornId: string,
    options: { limit: number; cursor?: string | undefined },
    now = Date.now(),
  ): Promise<ListResult<Invocation>> {
    const shape = { pk: partition(acornId), sk: SK };
    let start = options.cursor === undefined ? undefined : decodeCursor(options.cursor, shape);
    if (options.cursor !== undefined && !start) return { ok: false, error: 'bad-cursor' };
    // Items older than this are expired; in sort-key order they all come after the live ones.
    const oldest = new Date(now - this.#retentionMs).toISOString();
    const items: Invocation[] = [];
    for (let read = 0; read < LIST_READS; read++) {
      const page = await this.#db.doc.send(
        new QueryCommand({
          TableName: this.#db.tables.invocations,
          KeyConditionExpression: 'pk = :pk AND sk > :oldest',
          ExpressionAttributeValues: { ':pk': shape.pk, ':oldest': oldest },
          ScanIndexForward: false,
          ExclusiveStartKey: start,
          Limit: options.limit + 1 - items.length,
        }),
      );
      for (const item of page.Items ?? []) {
        if (items.length === options.limit) {
          // One more item exists: the page ends at the last one returned.
          const last = items.at(-1)!;
          return { ok: true, page: { items, nextCursor: encodeCursor(keyOf(last)) } };
        }
        items.push(toInvocation(item));
      }
      start = page.LastEvaluatedKey as Record<string, string> | undefined;
      if (!start) break;
    }
    const nextCursor = start && items.length > 0 ? encodeCursor(keyOf(items.at(-1)!)) : null;
    return { ok: true, page: { items, nextCursor } };
  }
}

const keyOf = (invocation: Invocation) => ({
  pk: partition(invocation.acornId),
  sk: `${invocation.createdAt}#${invocation.id}`,
});

function toInvocation(item: Record<string, unknown>): Invocation {
  const { pk: _pk, sk: _sk, expiresAt: _e, ...invocation } = item;
  return invocation as unknown as Invocation;
}
