/** CloudWatch Embedded Metric Format lines for minute buckets: how Lambda publishes the same figures. */
import { bucketValue, histogramBuckets } from './histogram.ts';
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
} as const;

/** Where EMF lines go; on Lambda, stdout ends up in CloudWatch Logs, which extracts the metrics. */
export type EmfSink = (line: string) => void;

export const stdoutSink: EmfSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** The spec allows at most 100 values per metric in one document. */
const maxValues = 100;

/**
 * EMF documents for one minute bucket. Latency is sent as values (each sample as the
 * geometric midpoint of its histogram bucket), at most 100 per document; counters go in the
 * first document only, so CloudWatch's Sum over the lines is exact.
 */
export function emfDocuments(bucket: MinuteBucket, namespace = metricsNamespace): Record<string, unknown>[] {
  const { figures } = bucket;
  const counters: Record<string, number> = {};
  for (const name of counterAttributes) counters[metricNames[name]] = figures[name];
  if (hasOutcomes(figures)) {
    runOutcomes.forEach((outcome, i) => {
      counters[`run_${outcome}`] = figures.outcomes[i]!;
    });
  }

  const latencyChunks: number[][] = [];
  let chunk: number[] = [];
  for (let i = 0; i < histogramBuckets; i++) {
    const value = Math.round(bucketValue(i) * 1000) / 1000;
    for (let n = figures.histogram[i]!; n > 0; n--) {
      chunk.push(value);
      if (chunk.length === maxValues) {
        latencyChunks.push(chunk);
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) latencyChunks.push(chunk);
  if (latencyChunks.length === 0) latencyChunks.push([]);

  return latencyChunks.map((latency, i) => {
    const values: Record<string, number | number[]> = i === 0 ? { ...counters } : {};
    if (latency.length > 0) values[metricNames.latency] = latency;
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
  });
}

export function emitEmf(buckets: MinuteBucket[], sink: EmfSink, namespace?: string): void {
  for (const bucket of buckets) {
    for (const document of emfDocuments(bucket, namespace)) sink(JSON.stringify(document));
  }
}
