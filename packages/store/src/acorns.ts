/** Acorns and their revisions in the acorns table (see docs/data-model.md). */

import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
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
  /** Served at `/x/{id}`; default false. */
  endpoint?: boolean;
  forkOf?: string | null;
}

export type AcornChanges = Partial<
  Pick<Acorn, 'title' | 'description' | 'language' | 'code' | 'visibility' | 'endpoint'>
>;

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

/**
 * Public acorns are spread over one `public-newest` partition per creation month (`PUBLIC#2026-11`), so no
 * partition takes every public write or every list read; lists walk the months newest first.
 */
const publicShard = (month: string) => `PUBLIC#${month}`;
const monthOf = (isoTime: string) => isoTime.slice(0, 7);
/** The one partition all public acorns shared before the month shards; `migratePublicShards` empties it. */
const LEGACY_PUBLIC = 'PUBLIC';
const PUBLIC_SHARD = /^PUBLIC#\d{4}-(0[1-9]|1[0-2])$/;
/** The item recording which months have public acorns, so a list never probes empty months one by one. */
const PUBLIC_MONTHS = { pk: 'PUBLIC', sk: 'MONTHS' } as const;
/** How long a process trusts its copy of that record: a month that gains its first public acorn elsewhere shows up within this. */
const PUBLIC_MONTHS_TTL_MS = 60_000;

/** Queries one list or search request may make: a bound on what a request reads, whatever the data. */
const LIST_READS = 8;
const SEARCH_READS = 5;
/** Items a search reads per query (before the filter); with SEARCH_READS, at most 500 small items per request. */
const SEARCH_PAGE = 100;
/** The lower-cased title and description a search filters on, capped so every listed item stays small. */
export const SEARCH_MAX_CHARS = 1_024;

function searchText(acorn: Pick<Acorn, 'title' | 'description'>): string {
  const text = `${acorn.title}\n${acorn.description}`.toLowerCase().slice(0, SEARCH_MAX_CHARS);
  // Never end on half a surrogate pair: that is not valid UTF-8.
  return /[\uD800-\uDBFF]$/.test(text) ? text.slice(0, -1) : text;
}

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
    search: searchText(acorn),
    gsiCreated: `${acorn.createdAt}#${acorn.id}`,
    gsiOwner: acorn.ownerId,
    // Sparse index: only public acorns are listed, in the partition of the month they were created.
    gsiPublic: acorn.visibility === 'public' ? publicShard(monthOf(acorn.createdAt)) : undefined,
  };
}

function toAcorn(item: Record<string, unknown>): Acorn {
  const { pk: _pk, sk: _sk, search: _s, gsiCreated: _c, gsiOwner: _o, gsiPublic: _p, ...acorn } = item;
  // Items written before endpoints existed carry no `endpoint`: they are not served.
  return {
    ...(acorn as unknown as Acorn),
    endpoint: item.endpoint === true,
    forkOf: (item.forkOf as string | undefined) ?? null,
  };
}

function toSummary(item: Record<string, unknown>): AcornSummary {
  const { code: _code, ...summary } = toAcorn(item);
  return summary;
}

function toRevision(item: Record<string, unknown>): Revision {
  const { pk: _pk, sk: _sk, ...revision } = item;
  return { ...(revision as unknown as Revision), endpoint: item.endpoint === true };
}

export class AcornStore {
  readonly #db: StoreConnection;
  /** This process's copy of the months record, and the months it knows are recorded. */
  #months: { months: Set<string>; readAt: number } | undefined;
  readonly #recorded = new Set<string>();
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
      endpoint: input.endpoint ?? false,
      version: 1,
      ownerId: input.ownerId,
      forkOf: input.forkOf ?? null,
      createdAt: at,
      updatedAt: at,
    };
    if (acorn.visibility === 'public') await this.#notePublicMonth(monthOf(at));
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
    if (next.visibility === 'public') await this.#notePublicMonth(monthOf(next.createdAt));
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
      endpoint: acorn.endpoint,
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

  /** Public acorns, newest first, walking the month partitions from the newest (or the cursor's) backwards. */
  async listPublic(options: ListOptions, now = new Date()): Promise<ListResult<AcornSummary>> {
    const start = options.cursor === undefined ? undefined : decodePublicCursor(options.cursor);
    if (options.cursor !== undefined && !start) return { ok: false, error: 'bad-cursor' };
    const months = [...(await this.#publicMonths())];
    // The current month always: its first public acorn may be younger than this process's copy of the record.
    months.push(monthOf(now.toISOString()));
    const newest = start ? start.shard : undefined;
    const shards = [...new Set(months.map(publicShard))]
      .filter((shard) => newest === undefined || shard < newest)
      .sort()
      .reverse();
    if (newest) shards.unshift(newest);
    const page = await this.#walk(
      shards.map((shard) => this.#indexQuery(acornIndexes.publicNewest, 'gsiPublic', shard, options.q)),
      start?.key,
      options.limit,
      ['pk', 'sk', 'gsiPublic', 'gsiCreated'],
      Boolean(options.q),
      (n) => ({ gsiPublic: shards[n]! }),
    );
    return { ok: true, page: { items: page.items.map(toSummary), nextCursor: page.nextCursor } };
  }

  async listByOwner(ownerId: string, options: ListOptions): Promise<ListResult<AcornSummary>> {
    const shape = { pk: ACORN_PK, sk: CURRENT, gsiOwner: ownerId, gsiCreated: CREATED_KEY };
    const start = options.cursor === undefined ? undefined : decodeCursor(options.cursor, shape);
    if (options.cursor !== undefined && !start) return { ok: false, error: 'bad-cursor' };
    const page = await this.#walk(
      [this.#indexQuery(acornIndexes.ownerNewest, 'gsiOwner', ownerId, options.q)],
      start,
      options.limit,
      Object.keys(shape),
      Boolean(options.q),
    );
    return { ok: true, page: { items: page.items.map(toSummary), nextCursor: page.nextCursor } };
  }

  #indexQuery(index: string, partitionName: string, partitionValue: string, q: string | undefined): QueryCommandInput {
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
    return input;
  }

  /**
   * One page of `limit` items from `queries` (one per partition, read in turn), starting after `start` in the
   * first. It reads one item past the page, so a last full page has no empty page after it. With a filter
   * DynamoDB applies `Limit` before filtering, so it reads on until the page is full; either way it makes at most
   * LIST_READS (SEARCH_READS) queries and then returns what it has with a cursor where reading stopped: a short,
   * even empty, page with a cursor is not the end.
   */
  async #walk(
    queries: QueryCommandInput[],
    start: Key | undefined,
    limit: number,
    keyNames: string[],
    filtered: boolean,
    /** The cursor for the top of partition `n` (only where there are several). */
    topOf?: (n: number) => Key,
  ): Promise<Page<Record<string, unknown>>> {
    const items: Record<string, unknown>[] = [];
    let partition = 0;
    let from = start;
    for (let reads = 0; reads < (filtered ? SEARCH_READS : LIST_READS); reads++) {
      const query = queries[partition]!;
      const result = await this.#db.doc.send(
        new QueryCommand({
          ...query,
          ExclusiveStartKey: from,
          Limit: filtered ? SEARCH_PAGE : limit + 1 - items.length,
        }),
      );
      for (const item of result.Items ?? []) {
        if (items.length === limit) return { items, nextCursor: cursorAt(items.at(-1)!, keyNames) };
        items.push(item);
      }
      from = result.LastEvaluatedKey as Key | undefined;
      if (!from && ++partition === queries.length) return { items, nextCursor: null };
    }
    // Out of reads: go on from the last key read, or from the top of the next partition.
    return { items, nextCursor: encodeCursor(from ?? topOf!(partition)) };
  }

  /** Months with public acorns, from the record (re-read at most once a minute per process). */
  async #publicMonths(): Promise<Set<string>> {
    if (this.#months && Date.now() - this.#months.readAt < PUBLIC_MONTHS_TTL_MS) return this.#months.months;
    const { Item } = await this.#db.doc.send(new GetCommand({ TableName: this.#table, Key: PUBLIC_MONTHS }));
    const months = new Set([...((Item?.months as Set<string> | undefined) ?? []), ...this.#recorded]);
    for (const month of months) this.#recorded.add(month);
    this.#months = { months, readAt: Date.now() };
    return months;
  }

  /**
   * Adds `month` to the record before an acorn of that month is written public, so a crash in between leaves
   * at most an empty month to skip, never a hidden acorn. Once per month per process: months are never removed.
   */
  async #notePublicMonth(month: string): Promise<void> {
    if (this.#recorded.has(month)) return;
    await this.#db.doc.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: PUBLIC_MONTHS,
        UpdateExpression: 'ADD #months :month',
        ExpressionAttributeNames: { '#months': 'months' },
        ExpressionAttributeValues: { ':month': new Set([month]) },
      }),
    );
    this.#recorded.add(month);
    this.#months?.months.add(month);
  }

  /**
   * Moves public acorns written before the month partitions (all in `gsiPublic = PUBLIC`) to their month, and
   * returns how many moved. Idempotent and safe beside live writers: each move is conditional on the old key.
   */
  async migratePublicShards(): Promise<number> {
    let moved = 0;
    let from: Key | undefined;
    do {
      const page = await this.#db.doc.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: acornIndexes.publicNewest,
          KeyConditionExpression: 'gsiPublic = :legacy',
          ExpressionAttributeValues: { ':legacy': LEGACY_PUBLIC },
          ExclusiveStartKey: from,
          Limit: 100,
        }),
      );
      for (const item of page.Items ?? []) {
        const month = monthOf(String(item.gsiCreated));
        await this.#notePublicMonth(month);
        try {
          await this.#db.doc.send(
            new UpdateCommand({
              TableName: this.#table,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: 'SET gsiPublic = :shard',
              ConditionExpression: 'gsiPublic = :legacy',
              ExpressionAttributeValues: { ':shard': publicShard(month), ':legacy': LEGACY_PUBLIC },
            }),
          );
          moved++;
        } catch (error) {
          // Rewritten (or deleted) by a live writer meanwhile: already in its month, or gone.
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        }
      }
      from = page.LastEvaluatedKey as Key | undefined;
    } while (from);
    return moved;
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
    const page = await this.#walk(
      [
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
      ],
      start,
      limit,
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

/**
 * A public list cursor: a key in one month's partition (that month must be the key's own creation month), or
 * the top of a month's partition. A key cursor from before the month partitions (`gsiPublic = PUBLIC`) resumes
 * at the same place in its month.
 */
function decodePublicCursor(cursor: string): { shard: string; key?: Key } | undefined {
  const key = decodeCursor(cursor, {
    pk: ACORN_PK,
    sk: CURRENT,
    gsiPublic: /^PUBLIC(#\d{4}-(0[1-9]|1[0-2]))?$/,
    gsiCreated: CREATED_KEY,
  });
  if (key) {
    const shard = publicShard(monthOf(key.gsiCreated!));
    if (key.gsiPublic !== LEGACY_PUBLIC && key.gsiPublic !== shard) return undefined;
    return { shard, key: { ...key, gsiPublic: shard } };
  }
  const top = decodeCursor(cursor, { gsiPublic: PUBLIC_SHARD });
  return top && { shard: top.gsiPublic! };
}
