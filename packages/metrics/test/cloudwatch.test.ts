/**
 * The CloudWatch reader (the admin API on Lambda). AWS is out of reach here, so CloudWatch itself is the one thing
 * faked: answers in GetMetricData's documented shape (hand-written, not captured from an account), and a fake that
 * computes them from the EMF documents the package prints.
 */
import type { GetMetricDataCommandOutput, GetMetricDataInput, ListMetricsOutput } from '@aws-sdk/client-cloudwatch';
import { MetricsResponse } from '@squirrelbin/schemas';
import { describe, expect, it } from 'vitest';
import {
  type CloudWatchApi,
  cloudWatchRangeIssue,
  mapMetricData,
  maxQueriesPerCall,
  planMetricData,
  readCloudWatchMetrics,
} from '../src/cloudwatch.ts';
import { bucketOf, reportedValue } from '../src/histogram.ts';
import { createMetrics, runOutcomes } from '../src/index.ts';
import { counterAttributes } from '../src/items.ts';
import { fakeCloudWatch } from './fake-cloudwatch.ts';
import { day, end, expected, knownMix, minute, now, retentionDays, start } from './known-mix.ts';

const t0 = Date.parse('2025-11-27T10:00:00.000Z');
const range = { from: t0, to: t0 + 2 * minute + 30_000, step: '1m' as const, now: t0 + 3 * minute, retentionDays };
/** Per endpoint: each counter's Sum (requests, status classes, run outcomes), then 3 percentiles per step and 3 over the window. */
const queriesPerEndpoint = counterAttributes.length + runOutcomes.length + 3 + 3;
const metadata = {
  httpStatusCode: 200,
  requestId: '5c3f0a3e-2f7e-4c55-9d2e-8f0a3a1b7c11',
  attempts: 1,
  totalRetryDelay: 0,
};

describe('GetMetricData queries', () => {
  it('asks per endpoint for each counter’s Sum and the latency percentiles per step and over the window', () => {
    const plan = planMetricData(['acorns.get', 'run.code'], range)!;
    expect(plan.startTime).toEqual(new Date(t0));
    expect(plan.endTime).toEqual(new Date(t0 + 3 * minute));
    const queries = plan.calls.flat();
    expect(queries).toHaveLength(2 * queriesPerEndpoint);
    expect(new Set(queries.map((q) => q.Id)).size).toBe(queries.length);
    for (const query of queries) expect(query.Id).toMatch(/^[a-z][A-Za-z0-9_]*$/);

    const meaning = (id: string) => plan.meanings.get(id)!;
    const byMeaning = (endpoint: string, metric: string, stat: string, totals: boolean) =>
      queries.find((q) => {
        const m = meaning(q.Id!);
        return m.endpoint === endpoint && m.metric === metric && m.stat === stat && m.totals === totals;
      })!;
    expect(byMeaning('acorns.get', 'status5xx', 'Sum', false).MetricStat).toEqual({
      Metric: {
        Namespace: 'SquirrelBin',
        MetricName: 'status5xx',
        Dimensions: [{ Name: 'endpoint', Value: 'acorns.get' }],
      },
      Period: 60,
      Stat: 'Sum',
    });
    expect(byMeaning('run.code', 'run_rejected', 'Sum', false).MetricStat!.Stat).toBe('Sum');
    expect(byMeaning('run.code', 'run_cancelled', 'Sum', false).MetricStat).toMatchObject({
      Metric: { MetricName: 'run_cancelled' },
      Period: 60,
      Stat: 'Sum',
    });
    expect(byMeaning('run.code', 'latency', 'p99', false).MetricStat).toMatchObject({ Period: 60, Stat: 'p99' });
    // The totals' percentiles: one period over the whole window, computed by CloudWatch over every sample.
    expect(byMeaning('run.code', 'latency', 'p50', true).MetricStat).toMatchObject({ Period: 180, Stat: 'p50' });
  });

  it('splits the queries into calls of at most 500, and starts the window at retention', () => {
    const endpoints = Array.from({ length: 40 }, (_, i) => `endpoint.${i}`);
    const plan = planMetricData(endpoints, { ...range, step: '1h', from: t0 - 40 * day, to: t0 })!;
    expect(plan.calls.map((call) => call.length)).toEqual([
      maxQueriesPerCall,
      40 * queriesPerEndpoint - maxQueriesPerCall,
    ]);
    const cutoff = range.now - retentionDays * day;
    expect(plan.startTime.getTime()).toBe(cutoff - (cutoff % 3_600_000));
    expect(planMetricData(endpoints, { ...range, from: t0 - 40 * day, to: t0 - 39 * day })).toBeUndefined();
  });

  it('refuses ranges older than CloudWatch keeps at their step', () => {
    const nowMs = t0;
    expect(cloudWatchRangeIssue({ from: nowMs - 14 * day, to: nowMs - 13 * day, step: '1m' }, nowMs)).toBeUndefined();
    expect(cloudWatchRangeIssue({ from: nowMs - 16 * day, to: nowMs - 15.5 * day, step: '1m' }, nowMs)).toMatchObject({
      path: 'from',
      message: expect.stringContaining('15 days'),
    });
    expect(cloudWatchRangeIssue({ from: nowMs - 64 * day, to: nowMs - 60 * day, step: '5m' }, nowMs)?.path).toBe(
      'from',
    );
    expect(cloudWatchRangeIssue({ from: nowMs - 90 * day, to: nowMs, step: '1h' }, nowMs)).toBeUndefined();
  });
});

describe('GetMetricData answers', () => {
  /** CloudWatch's answer for two endpoints over 10:00–10:02, in two pages, newest first as CloudWatch's default. */
  function recorded(idOf: (endpoint: string, metric: string, stat: string, totals?: boolean) => string) {
    const at = (m: number) => new Date(t0 + m * minute);
    const page1: GetMetricDataCommandOutput = {
      $metadata: metadata,
      MetricDataResults: [
        {
          Id: idOf('acorns.get', 'requests', 'Sum'),
          Label: 'requests',
          Timestamps: [at(2)],
          Values: [3],
          StatusCode: 'PartialData',
          Messages: [],
        },
      ],
      NextToken: 'AQICAHh…page2',
      Messages: [],
    };
    const page2: GetMetricDataCommandOutput = {
      $metadata: metadata,
      MetricDataResults: [
        {
          Id: idOf('acorns.get', 'requests', 'Sum'),
          Label: 'requests',
          Timestamps: [at(0)],
          Values: [5],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('acorns.get', 'status2xx', 'Sum'),
          Label: 'status2xx',
          Timestamps: [at(2), at(0)],
          Values: [2, 5],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('acorns.get', 'status5xx', 'Sum'),
          Label: 'status5xx',
          Timestamps: [at(2), at(0)],
          Values: [1, 0],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('acorns.get', 'latency', 'p50'),
          Label: 'latency',
          Timestamps: [at(2), at(0)],
          Values: [4.87, 1.3],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('acorns.get', 'latency', 'p99'),
          Label: 'latency',
          Timestamps: [at(2), at(0)],
          Values: [95.2, 2.1],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('acorns.get', 'latency', 'p99', true),
          Label: 'latency',
          Timestamps: [at(0)],
          Values: [95.2],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('run.code', 'requests', 'Sum'),
          Label: 'requests',
          Timestamps: [at(1)],
          Values: [3],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('run.code', 'status4xx', 'Sum'),
          Label: 'status4xx',
          Timestamps: [at(1)],
          Values: [1],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('run.code', 'status2xx', 'Sum'),
          Label: 'status2xx',
          Timestamps: [at(1)],
          Values: [2],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('run.code', 'run_ok', 'Sum'),
          Label: 'run_ok',
          Timestamps: [at(1)],
          Values: [1],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('run.code', 'run_timeout', 'Sum'),
          Label: 'run_timeout',
          Timestamps: [at(1)],
          Values: [1],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('run.code', 'run_cancelled', 'Sum'),
          Label: 'run_cancelled',
          Timestamps: [at(1)],
          Values: [1],
          StatusCode: 'Complete',
        },
        {
          Id: idOf('run.code', 'run_error', 'Sum'),
          Label: 'run_error',
          Timestamps: [at(1)],
          Values: [0],
          StatusCode: 'Complete',
        },
        { Id: idOf('idle', 'requests', 'Sum'), Label: 'requests', Timestamps: [], Values: [], StatusCode: 'Complete' },
      ],
      Messages: [],
    };
    return { page1, page2 };
  }

  function recordedApi(
    pages: (idOf: Parameters<typeof recorded>[0]) => {
      page1: GetMetricDataCommandOutput;
      page2: GetMetricDataCommandOutput;
    },
  ) {
    const listed: ListMetricsOutput = {
      Metrics: [
        { Namespace: 'SquirrelBin', MetricName: 'requests', Dimensions: [{ Name: 'endpoint', Value: 'run.code' }] },
        { Namespace: 'SquirrelBin', MetricName: 'requests', Dimensions: [{ Name: 'endpoint', Value: 'acorns.get' }] },
        { Namespace: 'SquirrelBin', MetricName: 'requests', Dimensions: [{ Name: 'endpoint', Value: 'idle' }] },
        // Another dimension set is another metric: not one of the API's.
        {
          Namespace: 'SquirrelBin',
          MetricName: 'requests',
          Dimensions: [
            { Name: 'endpoint', Value: 'acorns.get' },
            { Name: 'stage', Value: 'beta' },
          ],
        },
      ],
    };
    const calls: GetMetricDataInput[] = [];
    const api: CloudWatchApi = {
      listMetrics: async () => ({ $metadata: metadata, ...listed }),
      getMetricData: async (input) => {
        calls.push(input);
        const plan = planMetricData(['acorns.get', 'idle', 'run.code'], range)!;
        const idOf = (endpoint: string, metric: string, stat: string, totals = false) =>
          [...plan.meanings].find(
            ([, m]) => m.endpoint === endpoint && m.metric === metric && m.stat === stat && m.totals === totals,
          )![0];
        const { page1, page2 } = pages(idOf);
        return input.NextToken === page1.NextToken ? page2 : page1;
      },
    };
    return { api, calls };
  }

  it('maps them to the admin response: counts per step and in total, percentiles as bucket values, zeros between', async () => {
    const { api, calls } = recordedApi(recorded);
    const response = await readCloudWatchMetrics(api, range);
    expect(MetricsResponse.parse(response)).toEqual(response);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.NextToken).toBe('AQICAHh…page2');
    expect(calls[0]!.ScanBy).toBe('TimestampAscending');

    expect(response).toMatchObject({ from: '2025-11-27T10:00:00.000Z', to: '2025-11-27T10:02:30.000Z', step: '1m' });
    // `idle` had no request in the range: not listed, as the table reader lists only endpoints with data.
    expect(response.endpoints.map((e) => e.endpoint)).toEqual(['acorns.get', 'run.code']);
    const [get, run] = response.endpoints;
    const bucket = (ms: number) => reportedValue(bucketOf(ms));
    expect(get!.series).toEqual([
      {
        t: '2025-11-27T10:00:00.000Z',
        count: 5,
        status2xx: 5,
        status3xx: 0,
        status4xx: 0,
        status5xx: 0,
        p50: bucket(1.3),
        p95: null,
        p99: bucket(2.1),
      },
      {
        t: '2025-11-27T10:01:00.000Z',
        count: 0,
        status2xx: 0,
        status3xx: 0,
        status4xx: 0,
        status5xx: 0,
        p50: null,
        p95: null,
        p99: null,
      },
      {
        t: '2025-11-27T10:02:00.000Z',
        count: 3,
        status2xx: 2,
        status3xx: 0,
        status4xx: 0,
        status5xx: 1,
        p50: bucket(4.87),
        p95: null,
        p99: bucket(95.2),
      },
    ]);
    expect(get!.totals).toEqual({
      count: 8,
      status2xx: 7,
      status3xx: 0,
      status4xx: 0,
      status5xx: 1,
      p50: null,
      p95: null,
      p99: bucket(95.2),
    });
    expect(get!.totals.outcomes).toBeUndefined();
    expect(run!.totals.outcomes).toEqual({
      ok: 1,
      error: 0,
      timeout: 1,
      memory: 0,
      killed: 0,
      rejected: 0,
      cancelled: 1,
    });
    expect(run!.series[1]).toMatchObject({ count: 3, status2xx: 2, status4xx: 1, outcomes: { cancelled: 1 } });
    expect(run!.series[0]!.outcomes).toEqual({
      ok: 0,
      error: 0,
      timeout: 0,
      memory: 0,
      killed: 0,
      rejected: 0,
      cancelled: 0,
    });
  });

  it('fails loudly when CloudWatch could not answer a query', async () => {
    const { api } = recordedApi((idOf) => {
      const pages = recorded(idOf);
      pages.page2.MetricDataResults![0] = {
        Id: idOf('acorns.get', 'requests', 'Sum'),
        StatusCode: 'Forbidden',
        Messages: [{ Code: 'Forbidden', Value: 'not authorized for account 123456789012' }],
      };
      return pages;
    });
    await expect(readCloudWatchMetrics(api, range)).rejects.toThrow(/Forbidden.*not authorized/);
  });

  it('maps no answer to no endpoints', () => {
    expect(mapMetricData(undefined, new Map(), range)).toMatchObject({ endpoints: [], step: '1m' });
  });
});

describe('the same answer as the table', () => {
  /** What Lambdas print: each invocation flushes its own few samples as EMF, many documents per minute. */
  function emfOfInvocations(samples: ReturnType<typeof knownMix>) {
    const documents: Record<string, unknown>[] = [];
    const sink = (line: string) => documents.push(JSON.parse(line));
    const metrics = createMetrics({ flushMs: 0, retentionDays, emf: { sink } });
    return (async () => {
      for (const [i, s] of samples.entries()) {
        metrics.record(s, s.at);
        if (i % 3 === 0) await metrics.flush();
      }
      await metrics.close();
      return documents;
    })();
  }

  it('reads back through CloudWatch exactly the response the table gives, at every step', async () => {
    const samples = knownMix();
    const documents = await emfOfInvocations(samples);
    expect(documents.length).toBeGreaterThan(100);
    // Small pages, so the reader joins one query's results across pages.
    const cloudWatch = fakeCloudWatch(documents, { maxDatapoints: 250 });
    for (const step of ['1m', '5m', '1h'] as const) {
      const response = await readCloudWatchMetrics(cloudWatch, { from: start, to: end, step, now, retentionDays });
      expect(MetricsResponse.parse(response)).toEqual(response);
      expect(response.endpoints, step).toEqual(expected(samples, step, start, end));
    }
    expect(cloudWatch.requests.length).toBeGreaterThan(3);

    const sub = {
      from: start + 12 * minute + 30_000,
      to: start + 31 * minute,
      step: '1m' as const,
      now,
      retentionDays,
    };
    expect((await readCloudWatchMetrics(cloudWatch, sub)).endpoints).toEqual(expected(samples, '1m', sub.from, sub.to));
  });
});
