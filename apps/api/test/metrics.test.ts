import { bucketBounds, bucketOf } from '@squirrelbin/metrics';
import type { MetricsResponse, RunResult } from '@squirrelbin/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestServer, type TestServer } from './harness.ts';

let server: TestServer;
let client: ReturnType<typeof clientFor>;
let adminKey: string;

beforeAll(async () => {
  server = await startTestServer({ RUN_WORKERS: '2' });
  client = clientFor(server.url);
  adminKey = (await server.deps.store.identities.create({ admin: true })).key;
  await server.sandbox.ready();
});
afterAll(() => server.destroy());

const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
};

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};

describe('GET /api/admin/metrics', () => {
  it('is for admin keys only: 401 anonymous, 403 a normal key, 200 an admin key', async () => {
    expect((await client.api('GET', '/api/admin/metrics')).status).toBe(401);
    const normal = await client.newKey();
    const forbidden = await client.api('GET', '/api/admin/metrics', { key: normal });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ type: 'urn:squirrelbin:problem:forbidden' });
    expect((await client.api('GET', '/api/admin/metrics', { key: adminKey })).status).toBe(200);
  });

  it('rejects bad ranges and steps with 400', async () => {
    const now = Date.now();
    for (const query of [
      'step=2m',
      `from=${now - 25 * 3600_000}&to=${now}&step=1m`,
      `from=${now}&to=${now - 60_000}`,
      'from=yesterday',
      `from=${now - 91 * 86_400_000}&step=1h`,
    ]) {
      const reply = await client.api('GET', `/api/admin/metrics?${query}`, { key: adminKey });
      expect(reply.status, query).toBe(400);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('counts a known mix of traffic exactly, with percentiles within one bucket of the client-side truth', async () => {
    const key = await client.newKey();
    const { id } = await client.newAcorn(key);
    const getLatencies: number[] = [];
    for (let i = 0; i < 37; i++) {
      const [reply, ms] = await timed(() => client.api('GET', `/api/acorns/${id}`));
      expect(reply.status).toBe(200);
      getLatencies.push(ms);
    }
    for (let i = 0; i < 5; i++) {
      expect((await client.api('POST', '/api/acorns', { key, json: { title: '' } })).status).toBe(400);
    }
    for (let i = 0; i < 2; i++) await client.newAcorn(key); // 3 creates with the one above
    const runLatencies: number[] = [];
    for (let i = 0; i < 2; i++) {
      const [reply, ms] = await timed(() =>
        client.api<RunResult>('POST', '/api/run', {
          json: { language: 'javascript', code: 'for(;;){}', limits: { timeoutMs: 300 } },
        }),
      );
      expect(reply.body.status).toBe('timeout');
      runLatencies.push(ms);
    }

    const reply = await client.api<MetricsResponse>('GET', '/api/admin/metrics?step=1m', { key: adminKey });
    expect(reply.status).toBe(200);
    const byName = new Map(reply.body.endpoints.map((e) => [e.endpoint, e]));

    const get = byName.get('acorns.get')!;
    expect(get.totals).toMatchObject({ count: 37, status2xx: 37, status3xx: 0, status4xx: 0, status5xx: 0 });
    const create = byName.get('acorns.create')!;
    expect(create.totals).toMatchObject({ count: 8, status2xx: 3, status4xx: 5, status5xx: 0 });
    const run = byName.get('run.code')!;
    expect(run.totals).toMatchObject({ count: 2, status2xx: 2 });
    expect(run.totals.outcomes).toEqual({
      ok: 0,
      error: 0,
      timeout: 2,
      memory: 0,
      killed: 0,
      rejected: 0,
      cancelled: 0,
    });
    expect(get.totals.outcomes).toBeUndefined();

    // The series adds up to the totals, one point per minute of the default hour.
    expect(get.series.reduce((sum, point) => sum + point.count, 0)).toBe(37);
    expect(get.series.length).toBeGreaterThanOrEqual(60);

    // Server-side latency excludes the network hop, so it can only be at or below what the client saw; runs are long
    // enough that the hop is noise, so their percentiles land in the client's bucket or the one next to it.
    const withinOneBucket = (server: number, truth: number) =>
      expect(Math.abs(bucketOf(server) - bucketOf(truth)), `${server} vs ${truth}`).toBeLessThanOrEqual(1);
    withinOneBucket(run.totals.p50!, quantile(runLatencies, 0.5));
    withinOneBucket(run.totals.p99!, quantile(runLatencies, 0.99));
    expect(get.totals.p50!).toBeLessThanOrEqual(bucketBounds(bucketOf(quantile(getLatencies, 0.5)))[1]);
    expect(get.totals.p99!).toBeLessThanOrEqual(bucketBounds(bucketOf(quantile(getLatencies, 0.99)))[1]);
    expect(get.totals.p50!).toBeGreaterThan(0);
  });
});
