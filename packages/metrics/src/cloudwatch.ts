/**
 * The admin API's metrics on Lambda, read back from CloudWatch: every invocation printed its figures as
 * EMF (no table write on the request path, decision 006), so `GET /api/admin/metrics` asks CloudWatch's
 * `GetMetricData` for the same counters and latency percentiles, in the response the table reader gives.
 *
 * Counters are CloudWatch `Sum`s per step, summed for the totals. Percentiles are CloudWatch's own over
 * every latency sample of every execution environment (EMF sends the histogram as `Values`/`Counts`), per
 * step and over the whole range, then mapped back to the bucket they fall in, so they read exactly as the
 * table's (`reportedValue` of a bucket). Endpoints are those CloudWatch lists for the namespace: the ones
 * with data in the last two weeks. Kept out of the package's main entry so only the admin Lambda bundles
 * the CloudWatch client.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataInput,
  type GetMetricDataOutput,
  ListMetricsCommand,
  type ListMetricsInput,
  type ListMetricsOutput,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { FieldIssue, MetricsResponse } from '@squirrelbin/schemas';
import { endpointDimension, metricNames, metricsNamespace } from './emf.ts';
import { bucketOf, reportedValue } from './histogram.ts';
import { counterAttributes, floorTo, resolutions } from './items.ts';
import type { MetricsRange } from './query.ts';
import { type Percentiles, type ReadOptions, stepsOf, toPoint } from './reader.ts';
import { emptyFigures, type Figures, hasOutcomes, runOutcomes } from './recorder.ts';

/** The two CloudWatch calls the reader makes: the SDK client on AWS, recorded answers in tests. */
export interface CloudWatchApi {
  listMetrics(input: ListMetricsInput): Promise<ListMetricsOutput>;
  getMetricData(input: GetMetricDataInput): Promise<GetMetricDataOutput>;
}

/** The API over the SDK client; region and credentials come from the Lambda environment. */
export function cloudWatchApi(client = new CloudWatchClient({})): CloudWatchApi {
  return {
    listMetrics: (input) => client.send(new ListMetricsCommand(input)),
    getMetricData: (input) => client.send(new GetMetricDataCommand(input)),
  };
}

const day = 86_400_000;

/** How long CloudWatch keeps each step's resolution; older data is only there at a coarser step. */
export const cloudWatchResolutionDays = { '1m': 15, '5m': 63, '1h': 455 } as const;

/** Why CloudWatch cannot answer a range at its step (a 400 for the admin API), or undefined. */
export function cloudWatchRangeIssue(range: MetricsRange, now: number): FieldIssue | undefined {
  const days = cloudWatchResolutionDays[range.step];
  if (range.from >= now - days * day) return undefined;
  return {
    path: 'from',
    message: `CloudWatch keeps ${range.step} points for ${days} days; use a larger step for older ranges`,
  };
}

type Stat = 'Sum' | 'p50' | 'p95' | 'p99';

/** What each query Id stands for, to map results back. */
export interface QueryMeaning {
  endpoint: string;
  metric: string;
  stat: Stat;
  /** One period over the whole window (the totals' percentiles) rather than one per step. */
  totals: boolean;
}

export interface MetricDataPlan {
  startTime: Date;
  endTime: Date;
  /** In calls of at most {@link maxQueriesPerCall}. */
  calls: MetricDataQuery[][];
  meanings: Map<string, QueryMeaning>;
}

/** GetMetricData takes at most 500 queries per call. */
export const maxQueriesPerCall = 500;

/** Each counter metric, and where its Sum adds into the figures. */
const counters = new Map<string, (figures: Figures, sum: number) => void>([
  ...counterAttributes.map(
    (name) => [metricNames[name], (figures: Figures, sum: number) => (figures[name] += sum)] as const,
  ),
  ...runOutcomes.map(
    (outcome, i) => [`run_${outcome}`, (figures: Figures, sum: number) => (figures.outcomes[i]! += sum)] as const,
  ),
]);
const percentileStats = ['p50', 'p95', 'p99'] as const;

/**
 * The queries for a range: per endpoint, each counter's Sum and the latency percentiles per step, and
 * the percentiles once more over the whole window for the totals. The window starts at the first step
 * still within retention and ends with the last step; undefined when no step is within retention.
 */
export function planMetricData(
  endpoints: readonly string[],
  options: ReadOptions,
  namespace = metricsNamespace,
): MetricDataPlan | undefined {
  const stepMs = resolutions[options.step].ms;
  const cutoff = options.now - options.retentionDays * day;
  const steps = stepsOf(options).filter((t) => t + stepMs > cutoff);
  if (steps.length === 0) return undefined;
  const start = steps[0]!;
  const end = steps.at(-1)! + stepMs;
  const queries: MetricDataQuery[] = [];
  const meanings = new Map<string, QueryMeaning>();
  const add = (endpoint: string, metric: string, stat: Stat, totals: boolean) => {
    const id = `q${queries.length}`;
    meanings.set(id, { endpoint, metric, stat, totals });
    queries.push({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: namespace,
          MetricName: metric,
          Dimensions: [{ Name: endpointDimension, Value: endpoint }],
        },
        Period: (totals ? end - start : stepMs) / 1000,
        Stat: stat,
      },
    });
  };
  for (const endpoint of endpoints) {
    for (const metric of counters.keys()) add(endpoint, metric, 'Sum', false);
    for (const stat of percentileStats) add(endpoint, metricNames.latency, stat, false);
    for (const stat of percentileStats) add(endpoint, metricNames.latency, stat, true);
  }
  const calls: MetricDataQuery[][] = [];
  for (let i = 0; i < queries.length; i += maxQueriesPerCall) calls.push(queries.slice(i, i + maxQueriesPerCall));
  return { startTime: new Date(start), endTime: new Date(end), calls, meanings };
}

/** Every result page of one call, its values per query Id by timestamp (ms); pages of one Id are joined. */
async function fetchCall(
  api: CloudWatchApi,
  plan: MetricDataPlan,
  queries: MetricDataQuery[],
): Promise<Map<string, Map<number, number>>> {
  const values = new Map<string, Map<number, number>>();
  let nextToken: string | undefined;
  do {
    const page = await api.getMetricData({
      MetricDataQueries: queries,
      StartTime: plan.startTime,
      EndTime: plan.endTime,
      ScanBy: 'TimestampAscending',
      NextToken: nextToken,
    });
    for (const result of page.MetricDataResults ?? []) {
      if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
        const why = result.Messages?.map((m) => m.Value).join('; ');
        throw new Error(`CloudWatch GetMetricData ${result.StatusCode} for ${result.Id}${why ? `: ${why}` : ''}`);
      }
      if (!result.Id) continue;
      let series = values.get(result.Id);
      if (!series) {
        series = new Map();
        values.set(result.Id, series);
      }
      const timestamps = result.Timestamps ?? [];
      const numbers = result.Values ?? [];
      timestamps.forEach((timestamp, i) => {
        if (numbers[i] !== undefined) series.set(new Date(timestamp).getTime(), numbers[i]);
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return values;
}

/** A latency percentile as the table reports it: the value of the histogram bucket CloudWatch's answer falls in. */
const asBucketValue = (ms: number | undefined) => (ms === undefined ? null : reportedValue(bucketOf(ms)));

/**
 * The admin response from GetMetricData results: one series per endpoint with any request in the
 * range, sorted by name, zeros and null percentiles where CloudWatch has no point, `outcomes` for
 * endpoints that recorded one.
 */
export function mapMetricData(
  plan: MetricDataPlan | undefined,
  results: Map<string, Map<number, number>>,
  options: ReadOptions,
): MetricsResponse {
  const stepMs = resolutions[options.step].ms;
  const steps = stepsOf(options);
  interface Collected {
    points: Map<number, { figures: Figures; latency: Percentiles }>;
    totals: Percentiles;
  }
  const byEndpoint = new Map<string, Collected>();
  const point = (collected: Collected, t: number) => {
    let found = collected.points.get(t);
    if (!found) {
      found = { figures: emptyFigures(), latency: { p50: null, p95: null, p99: null } };
      collected.points.set(t, found);
    }
    return found;
  };
  for (const [id, meaning] of plan?.meanings ?? []) {
    let collected = byEndpoint.get(meaning.endpoint);
    if (!collected) {
      collected = { points: new Map(), totals: { p50: null, p95: null, p99: null } };
      byEndpoint.set(meaning.endpoint, collected);
    }
    const { stat } = meaning;
    for (const [timestamp, value] of results.get(id) ?? []) {
      if (stat !== 'Sum' && meaning.totals) {
        collected.totals[stat] = asBucketValue(value);
        continue;
      }
      // Points are keyed by the step they start; CloudWatch's period starts are the steps' (the window is aligned).
      const t = floorTo(timestamp, stepMs);
      if (t < plan!.startTime.getTime() || t >= plan!.endTime.getTime()) continue;
      const { figures, latency } = point(collected, t);
      if (stat === 'Sum') counters.get(meaning.metric)?.(figures, value);
      else latency[stat] = asBucketValue(value);
    }
  }

  const endpoints = [...byEndpoint]
    .map(([endpoint, collected]) => {
      const totals = emptyFigures();
      for (const { figures } of collected.points.values()) {
        for (const name of counterAttributes) totals[name] += figures[name];
        figures.outcomes.forEach((count, i) => {
          totals.outcomes[i]! += count;
        });
      }
      return { endpoint, collected, totals };
    })
    .filter(({ totals }) => totals.requests > 0)
    .sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1))
    .map(({ endpoint, collected, totals }) => {
      const runs = hasOutcomes(totals);
      return {
        endpoint,
        totals: toPoint(totals, runs, collected.totals),
        series: steps.map((t) => {
          const found = collected.points.get(t);
          return {
            t: new Date(t).toISOString(),
            ...toPoint(found?.figures ?? emptyFigures(), runs, found?.latency ?? { p50: null, p95: null, p99: null }),
          };
        }),
      };
    });

  return {
    from: new Date(steps[0]!).toISOString(),
    to: new Date(options.to).toISOString(),
    step: options.step,
    endpoints,
  };
}

/** The endpoints CloudWatch has metrics for: each `requests` metric's endpoint dimension. */
export async function listEndpoints(api: CloudWatchApi, namespace = metricsNamespace): Promise<string[]> {
  const endpoints = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await api.listMetrics({
      Namespace: namespace,
      MetricName: metricNames.requests,
      NextToken: nextToken,
    });
    for (const metric of page.Metrics ?? []) {
      const value = metric.Dimensions?.find((d) => d.Name === endpointDimension)?.Value;
      if (value && metric.Dimensions!.length === 1) endpoints.add(value);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return [...endpoints].sort();
}

/** The admin response for a range, from CloudWatch: the same shape and semantics as `readMetrics` on the table. */
export async function readCloudWatchMetrics(
  api: CloudWatchApi,
  options: ReadOptions & { namespace?: string },
): Promise<MetricsResponse> {
  const endpoints = (await listEndpoints(api, options.namespace)).filter((name) => options.include?.(name) ?? true);
  const plan = planMetricData(endpoints, options, options.namespace);
  const results = new Map<string, Map<number, number>>();
  if (plan) {
    for (const answer of await Promise.all(plan.calls.map((queries) => fetchCall(api, plan, queries)))) {
      for (const [id, values] of answer) results.set(id, values);
    }
  }
  return mapMetricData(plan, results, options);
}
