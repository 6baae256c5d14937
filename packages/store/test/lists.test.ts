/**
 * Public lists over month partitions, bounded search, the move from the single `PUBLIC` partition, and the
 * shared rate-limit counters, against the real embedded store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { AcornSummary } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcornStore } from '../src/acorns.ts';
import { encodeCursor } from '../src/cursor.ts';
import { defaultTableNames, type NewAcorn, openStore, type Store } from '../src/index.ts';

let dir: string;
let store: Store;
/** Every Query the store sends, with what it read. */
const queries: { input: QueryCommand['input']; scanned: number }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sqb-lists-'));
  store = await openStore({ dataDir: dir, tables: defaultTableNames, createTables: true });
  const send = store.connection.doc.send.bind(store.connection.doc);
  store.connection.doc.send = (async (command: unknown) => {
    const output = await send(command as never);
    if (command instanceof QueryCommand) {
      queries.push({ input: command.input, scanned: (output as QueryCommandOutput).ScannedCount ?? 0 });
    }
    return output;
  }) as typeof store.connection.doc.send;
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** Queries sent while `task` ran. */
async function counting<T>(task: () => Promise<T>): Promise<{ result: T; reads: typeof queries }> {
  const before = queries.length;
  const result = await task();
  return { result, reads: queries.slice(before) };
}

const owner = 'OWNEROWNEROWNEROWNER00';
const acorn = (fields: Partial<NewAcorn> = {}): NewAcorn => ({
  ownerId: owner,
  title: 'An acorn',
  description: '',
  language: 'javascript',
  code: 'x'.repeat(4096),
  visibility: 'public',
  ...fields,
});
const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, string>;

/** Every page of the public list, `limit` at a time, as seen on `now`. */
async function allPages(acorns: AcornStore, limit: number, now: Date, q?: string) {
  const pages: { ids: string[]; cursor: string | null }[] = [];
  let cursor: string | undefined;
  do {
    const result = await acorns.listPublic({ limit, cursor, q }, now);
    if (!result.ok) throw new Error('bad cursor');
    pages.push({ ids: result.page.items.map((item) => item.id), cursor: result.page.nextCursor });
    cursor = result.page.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return pages;
}

describe('public lists over month partitions', () => {
  const now = new Date('2030-11-15T12:00:00.000Z');
  const made: { id: string; month: string }[] = [];

  beforeAll(async () => {
    // Three months with public acorns, one whose only acorn turned private, and private ones in between.
    for (const [month, days] of [
      ['2030-06', [3, 9]],
      ['2030-08', [1, 2, 20]],
      ['2030-10', [5]],
    ] as const) {
      for (const day of days) {
        const created = await store.acorns.create(
          acorn(),
          new Date(`${month}-${String(day).padStart(2, '0')}T08:00:00.000Z`),
        );
        made.push({ id: created.id, month });
      }
    }
    await store.acorns.create(acorn({ visibility: 'private' }), new Date('2030-07-04T00:00:00.000Z'));
    const hidden = await store.acorns.create(acorn(), new Date('2030-09-09T00:00:00.000Z'));
    expect((await store.acorns.update(hidden.id, 1, { visibility: 'unlisted' })).ok).toBe(true);
  });

  it('walks the months newest first, a cursor carrying its month, each acorn once and without its code', async () => {
    const pages = await allPages(store.acorns, 2, now);
    expect(pages.flatMap((page) => page.ids)).toEqual(made.map((a) => a.id).reverse());
    expect(pages.map((page) => page.ids.length)).toEqual([2, 2, 2]);
    expect(pages.at(-1)!.cursor).toBeNull();
    // The first page ends in August: its cursor names August's partition.
    expect(decode(pages[0]!.cursor!).gsiPublic).toBe('PUBLIC#2030-08');

    const first = await store.acorns.listPublic({ limit: 100 }, now);
    if (!first.ok) throw new Error('bad cursor');
    for (const item of first.page.items) {
      expect(Object.keys(item).sort()).toEqual(Object.keys(AcornSummary.shape).sort());
    }
  });

  it('reads only months that have public acorns (and the current one), and one item past a full page', async () => {
    const { reads } = await counting(() => store.acorns.listPublic({ limit: 100 }, now));
    // November (the current month), October, September (made unlisted: recorded, now empty), August, June.
    expect(reads.map((read) => read.input.ExpressionAttributeValues?.[':p'])).toEqual([
      'PUBLIC#2030-11',
      'PUBLIC#2030-10',
      'PUBLIC#2030-09',
      'PUBLIC#2030-08',
      'PUBLIC#2030-06',
    ]);
    // A page that fills at the end of a month peeks into the next one, so the page after it is never empty.
    const full = await store.acorns.listPublic({ limit: 4 }, now);
    if (!full.ok) throw new Error('bad cursor');
    expect(full.page.items).toHaveLength(4);
    const last = await store.acorns.listPublic({ limit: 4, cursor: full.page.nextCursor! }, now);
    expect(last.ok && last.page.items.length).toBe(2);
  });

  it('lists an old acorn made public in its own month, also from another process', async () => {
    const other = new AcornStore(store.connection);
    await other.listPublic({ limit: 1 }, now); // its copy of the months record, without March 2029
    const old = await store.acorns.create(acorn({ visibility: 'private' }), new Date('2029-03-01T00:00:00.000Z'));
    await store.acorns.update(old.id, 1, { visibility: 'public' });
    const pages = await allPages(store.acorns, 100, now);
    expect(pages.flatMap((page) => page.ids).at(-1)).toBe(old.id);
    // Another process sees the month once its copy of the record is a minute old; the current month at once.
    const fresh = await store.acorns.create(acorn(), now);
    const seen = await other.listPublic({ limit: 1 }, now);
    expect(seen.ok && seen.page.items[0]?.id).toBe(fresh.id);
    expect((await store.acorns.delete(fresh.id)) && (await store.acorns.delete(old.id))).toBe(true);
  });

  it('refuses a cursor whose month is not its own key month, and resumes from the top of a month', async () => {
    const id = 'A'.repeat(22);
    const key = { pk: `ACORN#${id}`, sk: 'CURRENT', gsiCreated: `2030-08-01T00:00:00.000Z#${id}` };
    for (const gsiPublic of ['PUBLIC#2030-09', 'PUBLIC#2030-13', 'PUBLIC#', 'PRIVATE']) {
      expect(await store.acorns.listPublic({ limit: 5, cursor: encodeCursor({ ...key, gsiPublic }) }, now)).toEqual({
        ok: false,
        error: 'bad-cursor',
      });
    }
    const bads: Record<string, string>[] = [
      { gsiPublic: 'PUBLIC#2030-00' },
      { gsiPublic: 'PUBLIC' },
      { gsiPublic: 'PUBLIC#2030-08', x: 'y' },
    ];
    for (const bad of bads) {
      expect((await store.acorns.listPublic({ limit: 5, cursor: encodeCursor(bad) }, now)).ok).toBe(false);
    }
    const top = await store.acorns.listPublic({ limit: 5, cursor: encodeCursor({ gsiPublic: 'PUBLIC#2030-08' }) }, now);
    expect(top.ok && top.page.items.map((item) => item.id)).toEqual(
      made
        .filter((a) => a.month <= '2030-08')
        .map((a) => a.id)
        .reverse(),
    );
  });
});

describe('search', () => {
  it('reads at most 5 queries of 100 small items per request, and goes on with a cursor', async () => {
    const now = new Date('2031-02-10T00:00:00.000Z');
    const needle = await store.acorns.create(
      acorn({ description: 'has a NEEDLE in it' }),
      new Date('2031-01-01T00:00:00.000Z'),
    );
    const hay = Array.from({ length: 620 }, (_, i) => new Date(Date.parse('2031-01-02T00:00:00.000Z') + i * 1000));
    for (let i = 0; i < hay.length; i += 20) {
      await Promise.all(hay.slice(i, i + 20).map((at) => store.acorns.create(acorn({ title: 'hay' }), at)));
    }
    const first = await counting(() => store.acorns.listPublic({ limit: 10, q: 'needle' }, now));
    if (!first.result.ok) throw new Error('bad cursor');
    expect(first.result.page.items).toEqual([]);
    expect(first.reads).toHaveLength(5);
    expect(first.reads.reduce((sum, read) => sum + read.scanned, 0)).toBeLessThanOrEqual(500);
    expect(first.result.page.nextCursor).not.toBeNull();
    const second = await store.acorns.listPublic(
      { limit: 10, q: 'needle', cursor: first.result.page.nextCursor! },
      now,
    );
    expect(second.ok && second.page.items.map((item) => item.id)).toEqual([needle.id]);
    // Followed to the end, the search finds it once.
    expect((await allPages(store.acorns, 10, now, 'needle')).flatMap((page) => page.ids)).toEqual([needle.id]);
  }, 60_000);

  it('caps the searched text, and never ends it on half a surrogate pair', async () => {
    const description = `${'é'.repeat(1_000)}🌰 tail`;
    const created = await store.acorns.create(acorn({ description, visibility: 'private' }));
    const { Items = [] } = await store.connection.doc.send(
      new QueryCommand({
        TableName: defaultTableNames.acorns,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `ACORN#${created.id}` },
      }),
    );
    const search = String(Items[0]?.search);
    expect(search.length).toBeLessThanOrEqual(1_024);
    expect(search.endsWith('\uD83C')).toBe(false);
    expect(search.startsWith('an acorn\né')).toBe(true);
  });
});

describe('the move to month partitions', () => {
  it('moves acorns written under the single PUBLIC key, and still takes their cursors', async () => {
    const now = new Date('2032-05-01T00:00:00.000Z');
    // As the code before the month partitions wrote them.
    const legacy = ['2032-03-02', '2032-03-01', '2032-01-15'].map((day, i) => {
      const id = `LEGACYLEGACYLEGACY000${i}`;
      const createdAt = `${day}T00:00:00.000Z`;
      return {
        pk: `ACORN#${id}`,
        sk: 'CURRENT',
        id,
        ownerId: owner,
        title: 'old',
        description: '',
        language: 'javascript',
        code: '1',
        visibility: 'public',
        version: 1,
        forkOf: null,
        createdAt,
        updatedAt: createdAt,
        search: 'old\n',
        gsiCreated: `${createdAt}#${id}`,
        gsiOwner: owner,
        gsiPublic: 'PUBLIC',
      };
    });
    for (const Item of legacy)
      await store.connection.doc.send(new PutCommand({ TableName: defaultTableNames.acorns, Item }));
    const fresh = new AcornStore(store.connection);
    expect(await fresh.migratePublicShards()).toBe(3);
    expect(await fresh.migratePublicShards()).toBe(0);

    const listed = await fresh.listPublic({ limit: 3 }, now);
    expect(listed.ok && listed.page.items.map((item) => item.id)).toEqual(legacy.map((item) => item.id));
    // A cursor handed out before the move resumes after the same acorn.
    const { pk, sk, gsiPublic, gsiCreated } = legacy[0]!;
    const resumed = await fresh.listPublic({ limit: 1, cursor: encodeCursor({ pk, sk, gsiPublic, gsiCreated }) }, now);
    expect(resumed.ok && resumed.page.items.map((item) => item.id)).toEqual([legacy[1]!.id]);
    for (const item of legacy) await fresh.delete(item.id);
  });
});

describe('rate-limit counters', () => {
  it('counts up to the limit per key and window, then tells how long the window lasts', async () => {
    const start = Date.parse('2033-01-01T00:00:00.000Z');
    const take = (key: string, at: number) => store.limits.take(key, 3, 60_000, at);
    expect([await take('a', start), await take('a', start + 1), await take('a', start + 2)]).toEqual([0, 0, 0]);
    expect(await take('a', start + 10_000)).toBe(50_000);
    expect(await take('b', start + 10_000)).toBe(0);
    expect(await take('a', start + 60_000)).toBe(0);
    const long = 'x'.repeat(5_000);
    expect(await take(long, start)).toBe(0);
  });
});
