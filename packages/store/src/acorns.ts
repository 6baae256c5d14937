/** Acorns and their revisions in the acorns table (see docs/data-model.md). */

import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Acorn, AcornSummary, Language, Revision, RevisionSummary, Visibility } from '@squirrelbin/schemas';
import type { StoreConnection } from './client.ts';
import { decodeCursor, encodeCursor, type Key } from './cursor.ts';
import { newId } from './ids.ts';
import { acornIndexes } from './tables.ts';

export interface NewAcorn {
  ownerId: string;
  title: string;
  description: string;
  language: Language;
  code: string;
  visibility: Visibility;
  forkOf?: string | null;
}

export type AcornChanges = Partial<Pick<Acorn, 'title' | 'description' | 'language' | 'code' | 'visibility'>>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ListOptions {
  limit: number;
  cursor?: string | undefined;
  /** Case-insensitive text to find in title or description. */
  q?: string | undefined;
}

export type UpdateResult =
  | { ok: true; acorn: Acorn }
  | { ok: false; error: 'acorn-not-found' }
  | { ok: false; error: 'version-mismatch'; current: Acorn };

export type ListResult<T> = { ok: true; page: Page<T> } | { ok: false; error: 'bad-cursor' };

const acornPk = (id: string) => `ACORN#${id}`;
const CURRENT = 'CURRENT';
/** Zero-padded so revisions sort by version as strings. */
const revisionSk = (version: number) => `REV#${String(version).padStart(10, '0')}`;
// The shapes of key fields a cursor may carry back (ids as in `newId`, timestamps as `toISOString`).
const ACORN_PK = /^ACORN#[A-Za-z0-9_-]{16,64}$/;
const REVISION_SK = /^REV#\d{10}$/;
const CREATED_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_-]{16,64}$/;

interface AcornItem extends Acorn {
  pk: string;
  sk: string;
  search: string;
  gsiCreated: string;
  gsiOwner: string;
  gsiPublic?: string;
}

interface RevisionItem extends Revision {
  pk: string;
  sk: string;
}

function toItem(acorn: Acorn): AcornItem {
  return {
    ...acorn,
    pk: acornPk(acorn.id),
    sk: CURRENT,
    search: `${acorn.title}\n${acorn.description}`.toLowerCase(),
    gsiCreated: `${acorn.createdAt}#${acorn.id}`,
    gsiOwner: acorn.ownerId,
    // Sparse index: only public acorns are listed.
    gsiPublic: acorn.visibility === 'public' ? 'PUBLIC' : undefined,
  };
}

function toAcorn(item: Record<string, unknown>): Acorn {
  const { pk: _pk, sk: _sk, search: _s, gsiCreated: _c, gsiOwner: _o, gsiPublic: _p, ...acorn } = item;
  return { ...(acorn as unknown as Acorn), forkOf: (item.forkOf as string | undefined) ?? null };
}

function toSummary(item: Record<string, unknown>): AcornSummary {
  const { code: _code, ...summary } = toAcorn(item);
  return summary;
}

function toRevision(item: Record<string, unknown>): Revision {
  const { pk: _pk, sk: _sk, ...revision } = item;
  return revision as unknown as Revision;
}

export class AcornStore {
  readonly #db: StoreConnection;
  constructor(db: StoreConnection) {
    this.#db = db;
  }

  get #table() {
    return this.#db.tables.acorns;
  }

  async create(input: NewAcorn, now = new Date()): Promise<Acorn> {
    const at = now.toISOString();
    const acorn: Acorn = {
      id: newId(),
      title: input.title,
      description: input.description,
      language: input.language,
      code: input.code,
      visibility: input.visibility,
      version: 1,
      ownerId: input.ownerId,
      forkOf: input.forkOf ?? null,
      createdAt: at,
      updatedAt: at,
    };
    await this.#db.doc.send(
      new PutCommand({ TableName: this.#table, Item: toItem(acorn), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return acorn;
  }

  async get(id: string): Promise<Acorn | undefined> {
    const { Item } = await this.#db.doc.send(
      new GetCommand({ TableName: this.#table, Key: { pk: acornPk(id), sk: CURRENT } }),
    );
    return Item ? toAcorn(Item) : undefined;
  }

  /**
   * Writes `changes` as version `expectedVersion + 1`, only if the stored version is still `expectedVersion`.
   * The version being replaced is first kept as a revision item; without transactions, a crash between the two
   * writes leaves a revision equal to the current version, which listings hide (they show versions below current).
   */
  async update(id: string, expectedVersion: number, changes: AcornChanges, now = new Date()): Promise<UpdateResult> {
    const current = await this.get(id);
    if (!current) return { ok: false, error: 'acorn-not-found' };
    if (current.version !== expectedVersion) return { ok: false, error: 'version-mismatch', current };

    await this.#keepRevision(current);
    const next: Acorn = { ...current, ...changes, version: current.version + 1, updatedAt: now.toISOString() };
    try {
      await this.#db.doc.send(
        new PutCommand({
          TableName: this.#table,
          Item: toItem(next),
          ConditionExpression: 'attribute_exists(pk) AND version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return { ok: true, acorn: next };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const latest = await this.get(id);
      return latest
        ? { ok: false, error: 'version-mismatch', current: latest }
        : { ok: false, error: 'acorn-not-found' };
    }
  }

  async #keepRevision(acorn: Acorn): Promise<void> {
    const revision: RevisionItem = {
      pk: acornPk(acorn.id),
      sk: revisionSk(acorn.version),
      acornId: acorn.id,
      version: acorn.version,
      title: acorn.title,
      description: acorn.description,
      language: acorn.language,
      visibility: acorn.visibility,
      code: acorn.code,
      savedAt: acorn.updatedAt,
    };
    try {
      await this.#db.doc.send(
        new PutCommand({ TableName: this.#table, Item: revision, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      // Concurrent writers of the same version keep the same snapshot: the first one is enough.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** Deletes the acorn, then its revisions. Reads treat revisions without a current item as gone. */
  async delete(id: string): Promise<boolean> {
    try {
      await this.#db.doc.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: acornPk(id), sk: CURRENT },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
    await this.#deleteRevisions(id);
    return true;
  }

  async #deleteRevisions(id: string): Promise<void> {
    let start: Key | undefined;
    do {
      const page = await this.#db.doc.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rev)',
          ExpressionAttributeValues: { ':pk': acornPk(id), ':rev': 'REV#' },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
          Limit: 25,
        }),
      );
      const keys = page.Items ?? [];
      if (keys.length) {
        await this.#db.doc.send(
          new BatchWriteCommand({
            RequestItems: { [this.#table]: keys.map((Key) => ({ DeleteRequest: { Key } })) },
          }),
        );
      }
      start = page.LastEvaluatedKey as Key | undefined;
    } while (start);
  }

  listPublic(options: ListOptions): Promise<ListResult<AcornSummary>> {
    return this.#listIndex(acornIndexes.publicNewest, 'gsiPublic', 'PUBLIC', options);
  }

  listByOwner(ownerId: string, options: ListOptions): Promise<ListResult<AcornSummary>> {
    return this.#listIndex(acornIndexes.ownerNewest, 'gsiOwner', ownerId, options);
  }

  async #listIndex(
    index: string,
    partitionName: string,
    partitionValue: string,
    { limit, cursor, q }: ListOptions,
  ): Promise<ListResult<AcornSummary>> {
    const keyNames = ['pk', 'sk', partitionName, 'gsiCreated'];
    const shape = { pk: ACORN_PK, sk: CURRENT, [partitionName]: partitionValue, gsiCreated: CREATED_KEY };
    const start = cursor === undefined ? undefined : decodeCursor(cursor, shape);
    if (cursor !== undefined && !start) return { ok: false, error: 'bad-cursor' };
    const input: QueryCommandInput = {
      TableName: this.#table,
      IndexName: index,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': partitionName },
      ExpressionAttributeValues: { ':p': partitionValue },
      ScanIndexForward: false,
    };
    if (q) {
      input.FilterExpression = 'contains(#search, :q)';
      input.ExpressionAttributeNames = { ...input.ExpressionAttributeNames, '#search': 'search' };
      input.ExpressionAttributeValues = { ...input.ExpressionAttributeValues, ':q': q.toLowerCase() };
    }
    const page = await this.#queryPage(input, limit, start, keyNames, Boolean(q));
    return { ok: true, page: { items: page.items.map(toSummary), nextCursor: page.nextCursor } };
  }

  /**
   * One page of `limit` items. With a filter DynamoDB applies `Limit` before filtering, so it reads on
   * (a bounded number of times) until the page is full, and the cursor then points at the last item returned.
   */
  async #queryPage(
    input: QueryCommandInput,
    limit: number,
    start: Key | undefined,
    keyNames: string[],
    filtered: boolean,
  ): Promise<Page<Record<string, unknown>>> {
    const items: Record<string, unknown>[] = [];
    let exclusiveStart = start;
    for (let reads = 0; reads < (filtered ? 10 : 1); reads++) {
      const result = await this.#db.doc.send(
        // One item past the page tells whether another page exists, so a last full page has no empty page after it.
        new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStart, Limit: filtered ? 100 : limit + 1 }),
      );
      for (const item of result.Items ?? []) {
        if (items.length < limit) items.push(item);
        else return { items, nextCursor: cursorAt(items.at(-1)!, keyNames) };
      }
      exclusiveStart = result.LastEvaluatedKey as Key | undefined;
      if (!exclusiveStart) return { items, nextCursor: null };
      if (items.length === limit) break;
    }
    const last = items.at(-1);
    return {
      items,
      nextCursor: last ? cursorAt(last, keyNames) : exclusiveStart ? encodeCursor(exclusiveStart) : null,
    };
  }

  /** Earlier versions of an acorn (below its current version), newest first. */
  async listRevisions(acorn: Acorn, { limit, cursor }: Omit<ListOptions, 'q'>): Promise<ListResult<RevisionSummary>> {
    const keyNames = ['pk', 'sk'];
    const start = cursor === undefined ? undefined : decodeCursor(cursor, { pk: acornPk(acorn.id), sk: REVISION_SK });
    // Only a version this query could return: the key must lie inside its BETWEEN range.
    const startVersion = start ? Number(start.sk?.slice(4)) : 0;
    if (cursor !== undefined && (!start || startVersion < 1 || startVersion >= acorn.version)) {
      return { ok: false, error: 'bad-cursor' };
    }
    if (acorn.version === 1) return { ok: true, page: { items: [], nextCursor: null } };
    const page = await this.#queryPage(
      {
        TableName: this.#table,
        // Only versions below the current one: a leftover of an interrupted update is never shown.
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
        ExpressionAttributeValues: {
          ':pk': acornPk(acorn.id),
          ':first': revisionSk(1),
          ':last': revisionSk(acorn.version - 1),
        },
        ScanIndexForward: false,
      },
      limit,
      start,
      keyNames,
      false,
    );
    return {
      ok: true,
      page: {
        items: page.items.map((item) => {
          const { code: _code, ...summary } = toRevision(item);
          return summary;
        }),
        nextCursor: page.nextCursor,
      },
    };
  }

  async getRevision(acorn: Acorn, version: number): Promise<Revision | undefined> {
    if (version >= acorn.version) return undefined;
    const { Item } = await this.#db.doc.send(
      new GetCommand({ TableName: this.#table, Key: { pk: acornPk(acorn.id), sk: revisionSk(version) } }),
    );
    return Item ? toRevision(Item) : undefined;
  }
}

function cursorAt(item: Record<string, unknown>, keyNames: string[]): string {
  return encodeCursor(Object.fromEntries(keyNames.map((name) => [name, String(item[name])])));
}
