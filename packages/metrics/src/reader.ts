/** Reads endpoint figures back from the metrics table as one series per endpoint. */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { EndpointSeries, MetricsPoint, MetricsResponse } from '@squirrelbin/schemas';
import type { StoreConnection } from '@squirrelbin/store';
import { percentile } from './histogram.ts';
import { bucketLabel, figuresOfItem, floorTo, resolutions } from './items.ts';
import type { MetricsRange } from './query.ts';
import { addFigures, emptyFigures, type Figures, hasOutcomes, runOutcomes } from './recorder.ts';

export interface ReadOptions extends MetricsRange {
  /** Epoch ms; data older than `retentionDays` before it is ignored (the embedded store has no TTL). */
  now: number;
  retentionDays: number;
}

const day = 86_400_000;

/**
 * One series per endpoint that has data in the range, sorted by name, with a point for every
 * step from `from` (floored to the step) up to `to`, zeros and null percentiles where nothing was
 * recorded. Percentiles come from merged histograms (within one bucket, about ±9.5 %). Run
 * endpoints (any outcome recorded in the range) carry `outcomes` on every point and the totals.
 */
export async function readMetrics(
  connection: Pick<StoreConnection, 'doc' | 'tables'>,
  options: ReadOptions,
): Promise<MetricsResponse> {
  const resolution = resolutions[options.step];
  const first = floorTo(options.from, resolution.ms);
  const steps: number[] = [];
  for (let t = first; t < options.to; t += resolution.ms) steps.push(t);
  if (steps.length === 0) steps.push(first);
  const last = steps[steps.length - 1]!;

  const cutoff = options.now - options.retentionDays * day;
  const nowSeconds = Math.floor(options.now / 1000);
  const byEndpoint = new Map<string, Map<number, Figures>>();

  for (let partition = resolution.partition(first); partition.start <= last; ) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await connection.doc.send(
        new QueryCommand({
          TableName: connection.tables.metrics,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
          ExpressionAttributeValues: {
            ':pk': partition.key,
            ':first': bucketLabel(first),
            ':last': `${bucketLabel(last)}#\uffff`,
          },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const t = Date.parse(String(item.t));
        const endpoint = item.endpoint;
        if (typeof endpoint !== 'string' || Number.isNaN(t)) continue;
        if (t + resolution.ms <= cutoff) continue;
        if (typeof item.expiresAt === 'number' && item.expiresAt <= nowSeconds) continue;
        let series = byEndpoint.get(endpoint);
        if (!series) {
          series = new Map();
          byEndpoint.set(endpoint, series);
        }
        const figures = series.get(t);
        if (figures) addFigures(figures, figuresOfItem(item));
        else series.set(t, figuresOfItem(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    partition = resolution.partition(partition.next);
  }

  const endpoints: EndpointSeries[] = [...byEndpoint.keys()].sort().map((endpoint) => {
    const points = byEndpoint.get(endpoint)!;
    const totals = emptyFigures();
    for (const figures of points.values()) addFigures(totals, figures);
    const runs = hasOutcomes(totals);
    return {
      endpoint,
      totals: toPoint(totals, runs),
      series: steps.map((t) => ({
        t: new Date(t).toISOString(),
        ...toPoint(points.get(t) ?? emptyFigures(), runs),
      })),
    };
  });

  return {
    from: new Date(first).toISOString(),
    to: new Date(options.to).toISOString(),
    step: options.step,
    endpoints,
  };
}

function toPoint(figures: Figures, runs: boolean): MetricsPoint {
  const point: MetricsPoint = {
    count: figures.requests,
    status2xx: figures.status2xx,
    status3xx: figures.status3xx,
    status4xx: figures.status4xx,
    status5xx: figures.status5xx,
    p50: percentile(figures.histogram, 50),
    p95: percentile(figures.histogram, 95),
    p99: percentile(figures.histogram, 99),
  };
  if (runs) {
    const [ok, error, timeout, memory, killed, rejected] = runOutcomes.map((_, i) => figures.outcomes[i]!);
    point.outcomes = {
      ok: ok!,
      error: error!,
      timeout: timeout!,
      memory: memory!,
      killed: killed!,
      rejected: rejected!,
    };
  }
  return point;
}
