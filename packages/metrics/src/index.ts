/**
 * Endpoint metrics for SquirrelBin: a middleware records each request's endpoint, status class,
 * latency (fixed log-scale histogram) and run outcome into per-minute buckets; on a server a flusher
 * adds them into the DynamoDB metrics table with atomic `ADD`s and the reader turns the table back
 * into per-endpoint series for the admin API. On Lambda each invocation only prints its buckets as
 * CloudWatch EMF, and the admin API reads them back from CloudWatch (`@squirrelbin/metrics/cloudwatch`).
 *
 * @example
 * const metrics = createMetrics({ connection: store.connection, flushMs: 5_000, retentionDays: 30 });
 * app.use(metricsMiddleware(metrics, { endpointOf: (c) => c.get('endpoint') }));
 * // admin route:
 * const query = parseMetricsQuery(c.req.query(), Date.now());
 * if (query.ok) return c.json(await readMetrics(store.connection, { ...query.value, now: Date.now(), retentionDays: 30 }));
 * // shutdown; on Lambda (no connection, `emf: true`) the end of each invocation:
 * await metrics.flush();
 * @module
 */
export type { EmfSink } from './emf.ts';
export { emfDocument, emfLatencyValue, endpointDimension, metricNames, metricsNamespace, stdoutSink } from './emf.ts';
export type { Flusher, FlusherOptions, FlushResult } from './flusher.ts';
export { createFlusher } from './flusher.ts';
export type { Histogram } from './histogram.ts';
export {
  bucketBounds,
  bucketOf,
  bucketValue,
  emptyHistogram,
  histogramBuckets,
  histogramGrowth,
  histogramMaxMs,
  histogramMinMs,
  percentile,
} from './histogram.ts';
export type { Metrics, MetricsOptions } from './metrics.ts';
export { createMetrics } from './metrics.ts';
export type { MetricsMiddlewareOptions } from './middleware.ts';
export { metricsMiddleware, unmatchedEndpoint } from './middleware.ts';
export type { MetricsRange, ParsedMetricsQuery } from './query.ts';
export { maxRangeMs, parseMetricsQuery } from './query.ts';
export type { Percentiles, ReadOptions } from './reader.ts';
export { emptySeries, readMetrics, stepsOf } from './reader.ts';
export type { Figures, MinuteBucket, Recorder, RequestSample, RunOutcome } from './recorder.ts';
export { createRecorder, runOutcomes } from './recorder.ts';
