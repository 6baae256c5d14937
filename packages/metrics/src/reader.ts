/** Reads endpoint figures back from the metrics table as one series per endpoint. */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { EndpointSeries, MetricsPoint, MetricsResponse } from '@squirrelbin/schemas';
import type { StoreConnection } from '@squirrelbin/store';
import { percentile } from './histogram.ts';
import { bucketLabel, figuresOfItem, floorTo, resolutions, shardCount, shardKey } from './items.ts';
import type { MetricsRange } from './query.ts';
import { addFigures, emptyFigures, type Figures, hasOutcomes, runOutcomes } from './recorder.ts';

export interface ReadOptions extends MetricsRange {
  /** Epoch ms; data older than `retentionDays` before it is ignored (the embedded store has no TTL). */
  now: number;
  retentionDays: number;
  /** Which endpoints to report; default all. */
  include?: ((endpoint: string) => boolean) | undefined;
}

const day = 86_400_000;

/**
 * The start of every point of a range: one for every step from `from` floored to the step while the
 * step starts before `to` (so the bucket holding an unaligned `to` is a partial point), at least one.
 */
export function stepsOf(range: MetricsRange): number[] {
  const stepMs = resolutions[range.step].ms;
  const first = floorTo(range.from, stepMs);
  const steps: number[] = [];
  for (let t = first; t < range.to; t += stepMs) steps.push(t);
  if (steps.length === 0) steps.push(first);
  return steps;
}

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
  const steps = stepsOf(options);
  const first = steps[0]!;
  const last = steps.at(-1)!;

  const cutoff = options.now - options.retentionDays * day;
  const nowSeconds = Math.floor(options.now / 1000);
  const byEndpoint = new Map<string, Map<number, Figures>>();

  const add = (item: Record<string, unknown>) => {
    const t = Date.parse(String(item.t));
    const endpoint = item.endpoint;
    if (typeof endpoint !== 'string' || Number.isNaN(t)) return;
    if (options.include && !options.include(endpoint)) return;
    if (t + resolution.ms <= cutoff) return;
    if (typeof item.expiresAt === 'number' && item.expiresAt <= nowSeconds) return;
    let series = byEndpoint.get(endpoint);
    if (!series) {
      series = new Map();
      byEndpoint.set(endpoint, series);
    }
    // One item per writer: a bucket's figures are the sum of its writers' items.
    const figures = series.get(t);
    if (figures) addFigures(figures, figuresOfItem(item));
    else series.set(t, figuresOfItem(item));
  };
  const periods: string[] = [];
  for (let partition = resolution.partition(first); partition.start <= last; ) {
    periods.push(partition.key);
    partition = resolution.partition(partition.next);
  }
  // Every shard of every period, in parallel: each is one paginated Query.
  await Promise.all(
    periods.flatMap((period) =>
      Array.from({ length: shardCount }, async (_, shard) => {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page: QueryCommandOutput = await connection.doc.send(
            new QueryCommand({
              TableName: connection.tables.metrics,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
              ExpressionAttributeValues: {
                ':pk': shardKey(period, shard),
                ':first': bucketLabel(first),
                ':last': `${bucketLabel(last)}#\uffff`,
              },
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) add(item);
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }),
    ),
  );

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

/** The series of an endpoint with nothing recorded in the range: a zero point per step. */
export function emptySeries(endpoint: string, range: MetricsRange): EndpointSeries {
  return {
    endpoint,
    totals: toPoint(emptyFigures(), false),
    series: stepsOf(range).map((t) => ({ t: new Date(t).toISOString(), ...toPoint(emptyFigures(), false) })),
  };
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

const percentilesOf = (figures: Figures): Percentiles => ({
  p50: percentile(figures.histogram, 50),
  p95: percentile(figures.histogram, 95),
  p99: percentile(figures.histogram, 99),
});

/** A response point; `latency` comes from the figures' histogram unless given (CloudWatch computes its own). */
export function toPoint(figures: Figures, runs: boolean, latency: Percentiles = percentilesOf(figures)): MetricsPoint {
  const point: MetricsPoint = {
    count: figures.requests,
    status2xx: figures.status2xx,
    status3xx: figures.status3xx,
    status4xx: figures.status4xx,
    status5xx: figures.status5xx,
    ...latency,
  };
  if (runs) {
    const [ok, error, timeout, memory, killed, rejected, cancelled] = runOutcomes.map((_, i) => figures.outcomes[i]!);
    point.outcomes = {
      ok: ok!,
      error: error!,
      timeout: timeout!,
      memory: memory!,
      killed: killed!,
      rejected: rejected!,
      cancelled: cancelled!,
    };
  }
  return point;
}
