/**
 * CloudWatch, faked for tests (AWS cannot be reached here): takes EMF documents as CloudWatch Logs would
 * extract them and answers ListMetrics and GetMetricData from them, with the documented response shapes.
 * `Sum` adds the values of a period; `pNN` is the nearest-rank percentile over every value of the period
 * (a histogram's `Values` each counted `Counts` times). Results are paged (`NextToken`, `PartialData`) by
 * `maxDatapoints`, so readers must join one query's pages. Request limits are checked as CloudWatch would.
 */
import type {
  GetMetricDataInput,
  GetMetricDataOutput,
  ListMetricsInput,
  ListMetricsOutput,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { CloudWatchApi } from '../src/cloudwatch.ts';

interface Sample {
  at: number;
  value: number;
  count: number;
}

export interface FakeCloudWatch extends CloudWatchApi {
  /** Every GetMetricData request, as sent. */
  requests: GetMetricDataInput[];
}

const metadata = { httpStatusCode: 200, requestId: 'c0ffee00-0000-4000-8000-000000000000', attempts: 1 };

export function fakeCloudWatch(documents: Record<string, unknown>[], { maxDatapoints = 100_800 } = {}): FakeCloudWatch {
  // namespace → metric → dimension values (JSON) → samples
  const metrics = new Map<string, Sample[]>();
  const keyOf = (namespace: string, name: string, dimensions: Record<string, string>) =>
    JSON.stringify([namespace, name, Object.entries(dimensions).sort()]);
  for (const document of documents) {
    const aws = document._aws as {
      Timestamp: number;
      CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
    };
    for (const directive of aws.CloudWatchMetrics) {
      for (const dimensionSet of directive.Dimensions) {
        const dimensions = Object.fromEntries(dimensionSet.map((name) => [name, String(document[name])]));
        for (const { Name } of directive.Metrics) {
          const key = keyOf(directive.Namespace, Name, dimensions);
          const samples = metrics.get(key) ?? [];
          metrics.set(key, samples);
          const value = document[Name] as number | { Values: number[]; Counts: number[] };
          if (typeof value === 'number') samples.push({ at: aws.Timestamp, value, count: 1 });
          else {
            value.Values.forEach((v, i) => {
              samples.push({ at: aws.Timestamp, value: v, count: value.Counts[i]! });
            });
          }
        }
      }
    }
  }

  const statistic = (samples: Sample[], stat: string): number => {
    if (stat === 'Sum') return samples.reduce((sum, s) => sum + s.value * s.count, 0);
    const p = /^p(\d+(\.\d+)?)$/.exec(stat);
    if (!p) throw Object.assign(new Error(`unsupported statistic ${stat}`), { name: 'InvalidParameterValue' });
    const sorted = [...samples].sort((a, b) => a.value - b.value);
    const total = sorted.reduce((n, s) => n + s.count, 0);
    const rank = Math.max(1, Math.ceil((Number(p[1]) / 100) * total));
    let seen = 0;
    for (const s of sorted) {
      seen += s.count;
      if (seen >= rank) return s.value;
    }
    return sorted.at(-1)!.value;
  };

  const requests: GetMetricDataInput[] = [];
  return {
    requests,
    async listMetrics(input: ListMetricsInput): Promise<ListMetricsOutput> {
      const found = [...metrics.keys()]
        .map((key) => JSON.parse(key) as [string, string, [string, string][]])
        .filter(
          ([namespace, name]) => namespace === input.Namespace && (!input.MetricName || name === input.MetricName),
        )
        .map(([namespace, name, dimensions]) => ({
          Namespace: namespace,
          MetricName: name,
          Dimensions: dimensions.map(([Name, Value]) => ({ Name, Value })),
        }));
      // Pages of 500, as CloudWatch gives them.
      const offset = Number(input.NextToken ?? 0);
      const next = offset + 500;
      return {
        $metadata: metadata,
        Metrics: found.slice(offset, next),
        NextToken: next < found.length ? String(next) : undefined,
      } as ListMetricsOutput;
    },
    async getMetricData(input: GetMetricDataInput): Promise<GetMetricDataOutput> {
      requests.push(input);
      const queries = input.MetricDataQueries ?? [];
      if (queries.length > 500) throw Object.assign(new Error('too many queries'), { name: 'InvalidParameterValue' });
      if (new Set(queries.map((q) => q.Id)).size !== queries.length) throw new Error('Ids must be unique');
      const start = input.StartTime!.getTime();
      const end = input.EndTime!.getTime();
      // Every datapoint of every query, in query order, then paged.
      const points: { id: string; at: number; value: number }[] = [];
      for (const query of queries) {
        if (!/^[a-z][A-Za-z0-9_]*$/.test(query.Id!)) throw new Error(`bad Id ${query.Id}`);
        const stat = query.MetricStat!;
        const periodMs = stat.Period! * 1000;
        if (stat.Period! % 60 !== 0) throw new Error(`period ${stat.Period} is not a multiple of 60`);
        const dimensions = Object.fromEntries((stat.Metric!.Dimensions ?? []).map((d) => [d.Name!, d.Value!]));
        const samples = metrics.get(keyOf(stat.Metric!.Namespace!, stat.Metric!.MetricName!, dimensions)) ?? [];
        const byPeriod = new Map<number, Sample[]>();
        for (const sample of samples) {
          if (sample.at < start || sample.at >= end) continue;
          const periodStart = start + Math.floor((sample.at - start) / periodMs) * periodMs;
          byPeriod.set(periodStart, [...(byPeriod.get(periodStart) ?? []), sample]);
        }
        const ascending = [...byPeriod.keys()].sort((a, b) => a - b);
        const ordered = input.ScanBy === 'TimestampAscending' ? ascending : ascending.reverse();
        for (const at of ordered) points.push({ id: query.Id!, at, value: statistic(byPeriod.get(at)!, stat.Stat!) });
      }
      const offset = Number(input.NextToken ?? 0);
      const page = points.slice(offset, offset + maxDatapoints);
      const more = offset + maxDatapoints < points.length;
      const lastId = page.at(-1)?.id;
      const results: MetricDataResult[] = queries
        // The first page answers every query, empty or not; later ones the queries they carry points of.
        .filter((query) => offset === 0 || page.some((point) => point.id === query.Id))
        .map((query) => {
          const mine = page.filter((point) => point.id === query.Id);
          return {
            Id: query.Id,
            Label: query.MetricStat!.Metric!.MetricName,
            Timestamps: mine.map((point) => new Date(point.at)),
            Values: mine.map((point) => point.value),
            StatusCode: more && query.Id === lastId ? 'PartialData' : 'Complete',
            Messages: [],
          };
        });
      return {
        $metadata: metadata,
        MetricDataResults: results,
        NextToken: more ? String(offset + maxDatapoints) : undefined,
        Messages: [],
      } as GetMetricDataOutput;
    },
  };
}
