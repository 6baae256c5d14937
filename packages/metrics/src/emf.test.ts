import { describe, expect, it } from 'vitest';
import { emfLatencyValue, emitEmf, endpointDimension, metricNames, metricsNamespace } from './emf.ts';
import { bucketOf, histogramBuckets } from './histogram.ts';
import { createRecorder } from './recorder.ts';

const t0 = Date.UTC(2025, 10, 27, 10, 0, 0);

interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [member: string]: unknown;
}

function capture(record: (recorder: ReturnType<typeof createRecorder>) => void): EmfDocument[] {
  const recorder = createRecorder();
  record(recorder);
  const lines: string[] = [];
  emitEmf(recorder.take(), (line) => lines.push(line));
  return lines.map((line) => {
    expect(line).not.toContain('\n');
    return JSON.parse(line) as EmfDocument;
  });
}

/** A metric sent as a histogram, as AWS's OpenTelemetry EMF exporter sends one. */
interface Histogram {
  Values: number[];
  Counts: number[];
  Count: number;
  Sum: number;
  Min: number;
  Max: number;
}

/** The spec's rules: every directive's dimensions and metrics are members of the root, metric values numbers. */
function expectValid(document: EmfDocument) {
  expect(document._aws.Timestamp).toBeTypeOf('number');
  for (const directive of document._aws.CloudWatchMetrics) {
    expect(directive.Namespace).toBe(metricsNamespace);
    expect(directive.Dimensions).toEqual([[endpointDimension]]);
    expect(directive.Metrics.length).toBeLessThanOrEqual(100);
    for (const dimension of directive.Dimensions.flat()) expect(document[dimension]).toBeTypeOf('string');
    for (const metric of directive.Metrics) {
      const value = document[metric.Name] as number | Histogram;
      if (typeof value === 'object') {
        expect(value.Values.length).toBeLessThanOrEqual(100);
        expect(value.Counts).toHaveLength(value.Values.length);
        for (const v of [...value.Values, ...value.Counts, value.Count, value.Sum, value.Min, value.Max]) {
          expect(v).toBeTypeOf('number');
        }
        expect(value.Count).toBe(value.Counts.reduce((a, b) => a + b, 0));
      } else expect(value).toBeTypeOf('number');
    }
  }
}

describe('EMF', () => {
  it('publishes counters and latency per endpoint under the agreed names', () => {
    const documents = capture((recorder) => {
      recorder.record({ endpoint: 'acorns.get', status: 200, latencyMs: 5 }, t0);
      recorder.record({ endpoint: 'acorns.get', status: 404, latencyMs: 2 }, t0);
      recorder.record({ endpoint: 'run.post', status: 200, latencyMs: 300, outcome: 'ok' }, t0);
      recorder.record({ endpoint: 'run.post', status: 429, latencyMs: 1, outcome: 'rejected' }, t0);
      recorder.record({ endpoint: 'run.post', status: 499, latencyMs: 40, outcome: 'cancelled' }, t0);
    });
    expect(documents).toHaveLength(2);
    for (const document of documents) expectValid(document);

    const get = documents.find((d) => d[endpointDimension] === 'acorns.get')!;
    expect(get._aws.Timestamp).toBe(t0);
    const names = get._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name).sort();
    expect(names).toEqual(['latency', 'requests', 'status2xx', 'status3xx', 'status4xx', 'status5xx']);
    expect(get._aws.CloudWatchMetrics[0]!.Metrics.find((m) => m.Name === 'latency')!.Unit).toBe('Milliseconds');
    expect(get).toMatchObject({ requests: 2, status2xx: 1, status4xx: 1, status5xx: 0 });
    const [two, five] = [emfLatencyValue(bucketOf(2)), emfLatencyValue(bucketOf(5))];
    expect(get.latency).toEqual({
      Values: [two, five],
      Counts: [1, 1],
      Count: 2,
      Sum: expect.closeTo(two + five, 3),
      Min: two,
      Max: five,
    });

    const run = documents.find((d) => d[endpointDimension] === 'run.post')!;
    expect(run).toMatchObject({
      [metricNames.runOk]: 1,
      [metricNames.runRejected]: 1,
      [metricNames.runError]: 0,
      [metricNames.runTimeout]: 0,
      [metricNames.runMemory]: 0,
      [metricNames.runKilled]: 0,
      [metricNames.runCancelled]: 1,
    });
  });

  it('sends any amount of traffic as one document, latency as a histogram of at most 75 values', () => {
    const documents = capture((recorder) => {
      for (let i = 0; i < 5000; i++) recorder.record({ endpoint: 'acorns.list', status: 200, latencyMs: i / 7 }, t0);
    });
    expect(documents).toHaveLength(1);
    expectValid(documents[0]!);
    const latency = documents[0]!.latency as Histogram;
    expect(documents[0]!.requests).toBe(5000);
    expect(latency.Count).toBe(5000);
    expect(latency.Values.length).toBeLessThanOrEqual(histogramBuckets);
    expect(latency.Min).toBe(emfLatencyValue(0));
  });

  it('gives CloudWatch a value inside each bucket, so its percentiles map back to the bucket', () => {
    for (let i = 0; i < histogramBuckets; i++) {
      expect(emfLatencyValue(i)).toBeGreaterThan(0);
      expect(bucketOf(emfLatencyValue(i)), `bucket ${i}`).toBe(i);
    }
  });
});
