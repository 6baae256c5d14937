/**
 * Endpoint calls of an acorn, newest first, kept `INVOCATION_RETENTION_DAYS`.
 *
 * Calls are written in batches (the API buffers them for up to a second): one item holds up to `MAX_CALLS` calls of
 * one acorn, newest first, as one JSON string, under the acorn's partition with sort key `{newest call's
 * time}#{batch id}`. A call per item, each a DynamoDB map of its logs, made recording cost a trivial endpoint call
 * 16% of its p50 and a quarter of its throughput against the embedded store (every attribute is marshalled,
 * validated and indexed); a batch item costs about what one call did. Two servers writing one acorn's calls in the
 * same second can interleave their batches: the list is newest first by batch, then by call.
 *
 * DynamoDB deletes an item by TTL (`expiresAt`) once its newest call is past retention; reads skip older calls
 * themselves (the embedded store has no TTL).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Invocation } from '@squirrelbin/schemas';
import type { ListResult } from './acorns.ts';
import type { StoreConnection } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { newId } from './ids.ts';
import { batchPut } from './writes.ts';

export const INVOCATION_RETENTION_DAYS = 7;
const day = 86_400_000;

const partition = (acornId: string) => `ACORN#${acornId}`;
const SK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_-]{16,64}$/;
/** Calls already returned from the cursor's item. */
const SKIP = /^\d{1,3}$/;
/** Calls per item, and their JSON's size: well under DynamoDB's 400 KB item bound. */
const MAX_CALLS = 100;
const MAX_ITEM_CHARS = 300_000;
/** Items one list request reads at most. */
const LIST_READS = 8;

export type NewInvocation = Omit<Invocation, 'id' | 'createdAt'>;

interface StoredBatch {
  sk: string;
  /** Newest first. */
  calls: Invocation[];
}

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
    await this.recordBatch([invocation]);
    return invocation;
  }

  /**
   * Writes prepared calls, grouped per acorn into as few items as their size allows, 25 items per request; what
   * DynamoDB leaves unprocessed is sent again, a few times, then reported as an error.
   */
  async recordBatch(invocations: readonly Invocation[]): Promise<void> {
    await batchPut(this.#db, this.#db.tables.invocations, this.#items(invocations), 'invocation');
  }

  #items(invocations: readonly Invocation[]) {
    const byAcorn = new Map<string, Invocation[]>();
    for (const call of invocations) byAcorn.set(call.acornId, [...(byAcorn.get(call.acornId) ?? []), call]);
    const items: Record<string, unknown>[] = [];
    for (const [acornId, calls] of byAcorn) {
      const newestFirst = [...calls].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
      let chunk: string[] = [];
      let chars = 0;
      let newest = '';
      const flush = () => {
        if (chunk.length === 0) return;
        items.push({
          pk: partition(acornId),
          sk: `${newest}#${newId()}`,
          expiresAt: Math.floor((Date.parse(newest) + this.#retentionMs) / 1000),
          calls: `[${chunk.join(',')}]`,
        });
        chunk = [];
        chars = 0;
      };
      for (const call of newestFirst) {
        const json = JSON.stringify(call);
        if (chunk.length === MAX_CALLS || (chunk.length > 0 && chars + json.length > MAX_ITEM_CHARS)) flush();
        if (chunk.length === 0) newest = call.createdAt;
        chunk.push(json);
        chars += json.length;
      }
      flush();
    }
    return items;
  }

  /**
   * Newest first, `limit` calls from the cursor on. Calls past retention are skipped. The cursor names an item and
   * how many of its calls were already returned.
   */
  async list(
    acornId: string,
    options: { limit: number; cursor?: string | undefined },
    now = Date.now(),
  ): Promise<ListResult<Invocation>> {
    const shape = { pk: partition(acornId), sk: SK, skip: SKIP };
    const cursor = options.cursor === undefined ? undefined : decodeCursor(options.cursor, shape);
    if (options.cursor !== undefined && !cursor) return { ok: false, error: 'bad-cursor' };
    const oldest = new Date(now - this.#retentionMs).toISOString();
    const items: Invocation[] = [];
    let start: Record<string, unknown> | undefined;
    let last: StoredBatch | undefined;
    for (let read = 0; read < LIST_READS; read++) {
      const page = await this.#db.doc.send(
        new QueryCommand({
          TableName: this.#db.tables.invocations,
          KeyConditionExpression: cursor ? 'pk = :pk AND sk BETWEEN :oldest AND :from' : 'pk = :pk AND sk > :oldest',
          ExpressionAttributeValues: {
            ':pk': shape.pk,
            ':oldest': oldest,
            ...(cursor ? { ':from': cursor.sk } : {}),
          },
          ScanIndexForward: false,
          ExclusiveStartKey: start,
          Limit: 10,
        }),
      );
      for (const item of page.Items ?? []) {
        const batch = toBatch(item);
        const skip = cursor && batch.sk === cursor.sk ? Number(cursor.skip) : 0;
        for (let i = skip; i < batch.calls.length; i++) {
          const call = batch.calls[i]!;
          if (call.createdAt <= oldest) break;
          if (items.length === options.limit) {
            const next = { pk: shape.pk, sk: batch.sk, skip: String(i) };
            return { ok: true, page: { items, nextCursor: encodeCursor(next) } };
          }
          items.push(call);
        }
        last = batch;
      }
      start = page.LastEvaluatedKey;
      if (!start) break;
    }
    // Stopped at the read bound with more to read: go on after the last item read, all of whose calls were returned.
    const nextCursor =
      start && last ? encodeCursor({ pk: shape.pk, sk: last.sk, skip: String(last.calls.length) }) : null;
    return { ok: true, page: { items, nextCursor } };
  }
}

function toBatch(item: Record<string, unknown>): StoredBatch {
  return { sk: String(item.sk), calls: JSON.parse(String(item.calls)) as Invocation[] };
}
