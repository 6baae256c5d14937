/** CloudWatch Embedded Metric Format lines for minute buckets: how Lambda publishes the same figures. */
import { bucketBounds, bucketValue, histogramBuckets, histogramMinMs } from './histogram.ts';
import { counterAttributes } from './items.ts';
import { hasOutcomes, type MinuteBucket, runOutcomes } from './recorder.ts';

/** CloudWatch namespace of every SquirrelBin metric. */
export const metricsNamespace = 'SquirrelBin';
/** The one dimension: the route's endpoint name, e.g. `acorns.get`. */
export const endpointDimension = 'endpoint';

/** Metric names as published to CloudWatch (the CDK dashboard and alarms use these). */
export const metricNames = {
  requests: 'requests',
  status2xx: 'status2xx',
  status3xx: 'status3xx',
  status4xx: 'status4xx',
  status5xx: 'status5xx',
  latency: 'latency',
  runOk: 'run_ok',
  runError: 'run_error',
  runTimeout: 'run_timeout',
  runMemory: 'run_memory',
  runKilled: 'run_killed',
  runRejected: 'run_rejected',
  runCancelled: 'run_cancelled',
} as const;

/** Where EMF lines go; on Lambda, stdout ends up in CloudWatch Logs, which extracts the metrics. */
export type EmfSink = (line: string) => void;

export const stdoutSink: EmfSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * The value CloudWatch is given for a latency bucket: a point inside it (the geometric midpoint, half
 * the lower bound for underflow, just above the lower bound for overflow), so any percentile CloudWatch
 * computes falls back into the bucket it came from and reads back as {@link bucketValue} of it.
 */
export function emfLatencyValue(index: number): number {
  const [lower] = bucketBounds(index);
  const value = index <= 0 ? histogramMinMs / 2 : index >= histogramBuckets - 1 ? lower * 1.05 : bucketValue(index);
  return Math.round(value * 1000) / 1000;
}

/**
 * The EMF document for one minute bucket: its counters, and latency as a histogram (`Values` with
 * their `Counts`, plus `Count`, `Sum`, `Min`, `Max`, the form AWS's own OpenTelemetry EMF exporter uses)
 * so CloudWatch computes percentiles over every sample of every process. At most 75 values: always
 * one document, within the spec's 100 values per metric.
 */
export function emfDocument(bucket: MinuteBucket, namespace = metricsNamespace): Record<string, unknown> {
  const { figures } = bucket;
  const values: Record<string, unknown> = {};
  for (const name of counterAttributes) values[metricNames[name]] = figures[name];
  if (hasOutcomes(figures)) {
    runOutcomes.forEach((outcome, i) => {
      values[`run_${outcome}`] = figures.outcomes[i]!;
    });
  }
  const latency = { Values: [] as number[], Counts: [] as number[], Count: 0, Sum: 0, Min: 0, Max: 0 };
  for (let i = 0; i < histogramBuckets; i++) {
    const count = figures.histogram[i]!;
    if (count === 0) continue;
    const value = emfLatencyValue(i);
    if (latency.Count === 0) latency.Min = value;
    latency.Max = value;
    latency.Values.push(value);
    latency.Counts.push(count);
    latency.Count += count;
    latency.Sum += value * count;
  }
  latency.Sum = Math.round(latency.Sum * 1000) / 1000;
  if (latency.Count > 0) values[metricNames.latency] = latency;
  const metrics = Object.keys(values).map((name) => ({
    Name: name,
    Unit: name === metricNames.latency ? 'Milliseconds' : 'Count',
  }));
  return {
    _aws: {
      Timestamp: bucket.minute,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[endpointDimension]], Metrics: metrics }],
    },
    [endpointDimension]: bucket.endpoint,
    ...values,
  };
}

export function emitEmf(buckets: MinuteBucket[], sink: EmfSink, namespace?: string): void {
  for (const bucket of buckets) {
    sink(JSON.stringify(emfDocument(bucket, namespace)));
  }
}
