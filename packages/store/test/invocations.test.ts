/** Endpoint invocations in batch items, against the real embedded store: order, pages, retention, cursors. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Invocation } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/cursor.ts';
import { defaultTableNames, openStore, type Store } from '../src/index.ts';

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sqb-invocations-'));
  store = await openStore({ dataDir: dir, tables: defaultTableNames, createTables: true });
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const acorn = (n: number) => `acorn${String(n).padStart(12, '0')}`;
function call(acornId: string, at: Date, path: string, logs = 0): Invocation {
  return store.invocations.prepare(
    {
      acornId,
      acornVersion: 1,
      method: 'GET',
      path,
      query: '',
      status: 200,
      runStatus: 'ok',
      wallMs: 1,
      cpuMs: 1,
      logs: Array.from({ length: logs }, (_, i) => ({ level: 'log' as const, message: 'x'.repeat(1000) + i, t: i })),
      logsTruncated: false,
    },
    at,
  );
}

async function all(acornId: string, limit: number, now?: number) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const result = await store.invocations.list(acornId, { limit, cursor }, now);
    if (!result.ok) throw new Error('bad cursor');
    pages.push(result.page.items.map((i) => i.path));
    cursor = result.page.nextCursor ?? undefined;
  } while (cursor);
  return pages;
}

describe('invocations', () => {
  it('lists every call once, newest first, in pages across batch items of several writes', async () => {
    const id = acorn(1);
    const base = Date.parse('2026-11-30T10:00:00.000Z');
    // Three flushes of 7, 40 and 1 calls, written in that (time) order, and another acorn's calls between them.
    let n = 0;
    for (const size of [7, 40, 1]) {
      const batch = Array.from({ length: size }, () => call(id, new Date(base + n * 1000), `/${n++}`));
      await store.invocations.recordBatch([...batch, call(acorn(2), new Date(base), '/other')]);
    }
    const pages = await all(id, 9, base + 3_600_000);
    expect(pages.map((p) => p.length)).toEqual([9, 9, 9, 9, 9, 3]);
    expect(pages.flat()).toEqual(Array.from({ length: 48 }, (_, i) => `/${47 - i}`));
  });

  it('splits big calls over several items and still lists them in order', async () => {
    const id = acorn(3);
    const base = Date.parse('2026-11-30T11:00:00.000Z');
    // 60 calls with ~10 KB of logs each: over one item's size bound.
    await store.invocations.recordBatch(
      Array.from({ length: 60 }, (_, i) => call(id, new Date(base + i), `/${i}`, 10)),
    );
    const pages = await all(id, 25, base + 60_000);
    expect(pages.flat()).toEqual(Array.from({ length: 60 }, (_, i) => `/${59 - i}`));
  });

  it('skips calls past retention', async () => {
    const id = acorn(4);
    const now = Date.parse('2026-11-30T12:00:00.000Z');
    await store.invocations.recordBatch([
      call(id, new Date(now - 8 * 86_400_000), '/old'),
      call(id, new Date(now - 6 * 86_400_000), '/recent'),
    ]);
    await store.invocations.recordBatch([call(id, new Date(now - 9 * 86_400_000), '/older')]);
    expect((await all(id, 10, now)).flat()).toEqual(['/recent']);
  });

  it('refuses a cursor of another acorn or a bad shape', async () => {
    const theirs = encodeCursor({ pk: `ACORN#${acorn(2)}`, sk: `2026-11-30T10:00:00.000Z#${acorn(9)}`, skip: '1' });
    for (const cursor of [theirs, 'junk', encodeCursor({ pk: `ACORN#${acorn(1)}`, sk: 'x', skip: '1' })]) {
      expect(await store.invocations.list(acorn(1), { limit: 5, cursor })).toEqual({ ok: false, error: 'bad-cursor' });
    }
  });
});
