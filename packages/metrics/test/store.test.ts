/** The package against the real embedded store: what is recorded is what is read back, exactly. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { MetricsResponse, type MetricsStep } from '@squirrelbin/schemas';
import {
  connectStore,
  defaultTableNames,
  openStore,
  type StoreConnection,
  startEmbeddedStore,
} from '@squirrelbin/store';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, readMetrics } from '../src/index.ts';
import { itemKey, resolutions, shardCount } from '../src/items.ts';
import { day, end, expected, knownMix, minute, now, retentionDays, start } from './known-mix.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'sqb-metrics-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function embeddedStore(): Promise<StoreConnection> {
  const store = await openStore({ dataDir: await tempDir(), tables: defaultTableNames, createTables: true });
  cleanups.push(() => store.close());
  return store.connection;
}

const read = (connection: StoreConnection, step: MetricsStep, from = start, to = end) =>
  readMetrics(connection, { from, to, step, now, retentionDays });

describe('metrics in the store', () => {
  it('reads back exactly what was recorded, at every step', async () => {
    const connection = await embeddedStore();
    const metrics = createMetrics({ connection, flushMs: 0, retentionDays });
    const samples = knownMix();
    // Flush part-way through, so items get several ADDs.
    samples.forEach((s, i) => {
      metrics.record(s, s.at);
      if (i === Math.floor(samples.length / 3)) void metrics.flush();
    });
    const result = await metrics.close();
    expect(result).toMatchObject({ errors: [], pending: 0 });

    for (const step of ['1m', '5m', '1h'] as const) {
      const response = await read(connection, step);
      expect(MetricsResponse.parse(response)).toEqual(response);
      expect(response.step).toBe(step);
      expect(response.endpoints.map((e) => e.endpoint)).toEqual(['acorns.get', 'acorns.list', 'run.post']);
      expect(response.endpoints).toEqual(expected(samples, step, start, end));
    }
    const byMinute = await read(connection, '1m');
    expect(byMinute.endpoints[0]!.series).toHaveLength(45);
    expect(byMinute.endpoints[0]!.series[3]).toMatchObject({ count: 0, p50: null, p95: null, p99: null });
    expect(byMinute.endpoints[0]!.totals.outcomes).toBeUndefined();
    expect(byMinute.endpoints[2]!.series[1]!.outcomes).toEqual({
      ok: 0,
      error: 0,
      timeout: 0,
      memory: 0,
      killed: 0,
      rejected: 0,
      cancelled: 0,
    });
    // The mix cancels some runs: counted, and read back as such.
    const cancelled = samples.filter((s) => s.outcome === 'cancelled').length;
    expect(cancelled).toBeGreaterThan(0);
    expect(byMinute.endpoints[2]!.totals.outcomes?.cancelled).toBe(cancelled);
    expect((await read(connection, '5m')).endpoints[0]!.series).toHaveLength(9);
    expect((await read(connection, '1h')).endpoints[0]!.series.map((p) => p.t)).toEqual([
      '2025-12-31T23:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
  });

  it('reads a sub-range and an empty range', async () => {
    const connection = await embeddedStore();
    const metrics = createMetrics({ connection, flushMs: 0, retentionDays });
    const samples = knownMix();
    for (const s of samples) metrics.record(s, s.at);
    await metrics.flush();
    const from = start + 12 * minute + 30_000;
    const to = start + 31 * minute;
    expect((await read(connection, '1m', from, to)).endpoints).toEqual(expected(samples, '1m', from, to));
    expect((await read(connection, '5m', from, to)).endpoints).toEqual(expected(samples, '5m', from, to));
    const empty = await read(connection, '1m', start - 2 * day, start - day);
    expect(empty).toMatchObject({ endpoints: [], step: '1m' });
  });

  it('adds up what two processes flushed, each into items of its own', async () => {
    const connection = await embeddedStore();
    const a = createMetrics({ connection, flushMs: 0, retentionDays });
    const b = createMetrics({ connection, flushMs: 0, retentionDays });
    const samples = knownMix();
    samples.forEach((s, i) => {
      (i % 2 ? a : b).record(s, s.at);
    });
    const results = await Promise.all([a.flush(), b.flush()]);
    for (const result of results) expect(result).toMatchObject({ errors: [], pending: 0 });
    for (const step of ['1m', '5m', '1h'] as const) {
      expect((await read(connection, step)).endpoints).toEqual(expected(samples, step, start, end));
    }
  });

  it('keeps counts through a store outage: nothing lost, nothing doubled', async () => {
    const dataDir = await tempDir();
    const port = await freePort();
    let server = await startEmbeddedStore(dataDir, port);
    const connection = await connectStore({
      endpoint: server.endpoint,
      dataDir,
      tables: defaultTableNames,
      createTables: true,
    });
    cleanups.push(async () => {
      await connection.close();
      await server.close();
    });
    const errors: unknown[] = [];
    const metrics = createMetrics({ connection, flushMs: 0, retentionDays, onError: (e) => errors.push(e) });
    const samples = knownMix();
    const half = Math.floor(samples.length / 2);
    for (const s of samples.slice(0, 10)) metrics.record(s, s.at);
    expect(await metrics.flush()).toMatchObject({ errors: [], pending: 0 });

    await server.close();
    for (const s of samples.slice(10, half)) metrics.record(s, s.at);
    const failed = await metrics.flush();
    expect(failed.errors.length).toBeGreaterThan(0);
    expect(failed.pending).toBeGreaterThan(0);
    expect(errors.length).toBe(failed.errors.length);
    for (const s of samples.slice(half)) metrics.record(s, s.at);
    expect((await metrics.flush()).pending).toBeGreaterThan(0);

    server = await startEmbeddedStore(dataDir, port);
    const recovered = await metrics.close();
    expect(recovered).toMatchObject({ errors: [], pending: 0 });
    for (const step of ['1m', '5m', '1h'] as const) {
      expect((await read(connection, step)).endpoints).toEqual(expected(samples, step, start, end));
    }
  });

  it('does not double-count a write that landed although its reply was lost', async () => {
    const real = await embeddedStore();
    let failNext = 3;
    const send = real.doc.send.bind(real.doc) as (command: unknown) => Promise<unknown>;
    const flaky = {
      ...real,
      doc: {
        send: async (command: unknown) => {
          const reply = await send(command);
          if (failNext-- > 0) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
          return reply;
        },
      } as unknown as StoreConnection['doc'],
    };
    const metrics = createMetrics({ connection: flaky, flushMs: 0, retentionDays });
    const samples = knownMix();
    for (const s of samples.slice(0, 40)) metrics.record(s, s.at);
    const first = await metrics.flush();
    expect(first.errors).toHaveLength(3);
    for (const s of samples.slice(40)) metrics.record(s, s.at);
    expect(await metrics.close()).toMatchObject({ errors: [], pending: 0 });
    for (const step of ['1m', '5m', '1h'] as const) {
      expect((await read(real, step)).endpoints).toEqual(expected(samples, step, start, end));
    }
  });

  it('sets expiresAt and ignores items past retention', async () => {
    const connection = await embeddedStore();
    const metrics = createMetrics({ connection, flushMs: 0, retentionDays, writerId: 'w1' });
    const old = now - 31 * day;
    const recent = now - day;
    metrics.record({ endpoint: 'acorns.get', status: 200, latencyMs: 5 }, old);
    metrics.record({ endpoint: 'acorns.get', status: 500, latencyMs: 5 }, recent);
    metrics.record({ endpoint: 'acorns.list', status: 200, latencyMs: 5 }, old);
    await metrics.flush();

    const oldMinute = old - (old % minute);
    const { Item } = await connection.doc.send(
      new GetCommand({
        TableName: connection.tables.metrics,
        Key: itemKey(resolutions['1m'], oldMinute, 'acorns.get', 'w1'),
      }),
    );
    expect(Item).toMatchObject({ endpoint: 'acorns.get', requests: 1, status2xx: 1, seq: 1 });
    expect(Item!.pk).toMatch(
      new RegExp(`^1m#${new Date(oldMinute).toISOString().slice(0, 10)}#[0-${shardCount - 1}]$`),
    );
    expect(Item!.sk).toBe(`${new Date(oldMinute).toISOString().slice(0, 16)}Z#acorns.get#w1`);
    expect(Item!.expiresAt).toBe((oldMinute + minute) / 1000 + retentionDays * 86_400);

    const response = await readMetrics(connection, { from: now - 90 * day, to: now, step: '1h', now, retentionDays });
    expect(response.endpoints.map((e) => e.endpoint)).toEqual(['acorns.get']);
    expect(response.endpoints[0]!.totals).toMatchObject({ count: 1, status5xx: 1, status2xx: 0 });
    // `from` and `to` are not on the hour: the partial first and last hours both get a point.
    expect(response.endpoints[0]!.series).toHaveLength(90 * 24 + 1);
    // A reader with a longer retention than the writer still honours the items' expiresAt.
    const longer = await readMetrics(connection, { from: now - 90 * day, to: now, step: '1h', now, retentionDays: 60 });
    expect(longer.endpoints[0]!.totals.count).toBe(1);
  });

  it('flushes on its timer', async () => {
    const connection = await embeddedStore();
    const metrics = createMetrics({ connection, flushMs: 50, retentionDays });
    cleanups.push(() => metrics.close());
    const at = Date.now();
    metrics.record({ endpoint: 'health.get', status: 200, latencyMs: 1 });
    await expect
      .poll(async () => {
        const response = await readMetrics(connection, {
          from: at - minute,
          to: Date.now(),
          step: '1m',
          now: Date.now(),
          retentionDays,
        });
        return response.endpoints[0]?.totals.count;
      })
      .toBe(1);
  });

  it('keeps items small whatever the number of writers: no item grows with them', async () => {
    const connection = await embeddedStore();
    const writers = Array.from({ length: 60 }, () => createMetrics({ connection, flushMs: 0, retentionDays }));
    for (const [i, writer] of writers.entries()) {
      writer.record({ endpoint: 'acorns.get', status: 200, latencyMs: 1 + (i % 9) }, start);
      writer.record({ endpoint: 'acorns.get', status: 404, latencyMs: 3 }, start + 1);
    }
    for (const writer of writers) expect(await writer.close()).toMatchObject({ errors: [], pending: 0 });
    // Twice: a retried or later flush into an existing item must not add attributes either.
    for (const writer of writers) writer.record({ endpoint: 'acorns.get', status: 500, latencyMs: 2 }, start + 2);
    for (const writer of writers) expect(await writer.close()).toMatchObject({ errors: [], pending: 0 });

    const { Items = [] } = await connection.doc.send(new ScanCommand({ TableName: connection.tables.metrics }));
    expect(Items).toHaveLength(60 * 3); // one item per writer and step
    for (const item of Items) {
      // pk, sk, endpoint, t, expiresAt, seq, 4 counters and at most 3 histogram buckets.
      expect(Object.keys(item).length).toBeLessThanOrEqual(13);
      expect(JSON.stringify(item).length).toBeLessThan(400);
    }
    const [get] = (await read(connection, '1m', start, start + minute)).endpoints;
    expect(get!.totals).toMatchObject({ count: 180, status2xx: 60, status4xx: 60, status5xx: 60 });
  });

  it('spreads a period over shards, so no partition key takes every endpoint; the reader reads them all', async () => {
    const connection = await embeddedStore();
    const writers = [0, 1, 2].map(() => createMetrics({ connection, flushMs: 0, retentionDays }));
    const endpoints = Array.from({ length: 16 }, (_, i) => `endpoint.${i}`);
    for (const writer of writers) {
      for (const endpoint of endpoints) writer.record({ endpoint, status: 200, latencyMs: 4 }, start);
      await writer.close();
    }
    const { Items = [] } = await connection.doc.send(new ScanCommand({ TableName: connection.tables.metrics }));
    const minuteItems = Items.filter((item) => String(item.pk).startsWith('1m#'));
    const endpointsByKey = new Map<string, Set<string>>();
    for (const item of minuteItems) {
      const key = String(item.pk);
      endpointsByKey.set(key, (endpointsByKey.get(key) ?? new Set()).add(String(item.endpoint)));
    }
    expect(endpointsByKey.size).toBe(shardCount);
    for (const names of endpointsByKey.values()) expect(names.size).toBeLessThan(endpoints.length);

    const response = await read(connection, '1m', start, start + minute);
    expect(response.endpoints.map((e) => e.endpoint)).toEqual([...endpoints].sort());
    for (const endpoint of response.endpoints) expect(endpoint.totals.count).toBe(3);
  });

  it('writes nothing without a table: on Lambda a flush only prints EMF', async () => {
    const connection = await embeddedStore();
    const lines: string[] = [];
    const metrics = createMetrics({ flushMs: 0, retentionDays, emf: { sink: (line) => lines.push(line) } });
    for (const s of knownMix().slice(0, 30)) metrics.record(s, s.at);
    expect(await metrics.flush()).toEqual({ written: 0, pending: 0, errors: [] });
    expect(lines.length).toBeGreaterThan(0);
    const { Items = [] } = await connection.doc.send(new ScanCommand({ TableName: connection.tables.metrics }));
    expect(Items).toEqual([]);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
