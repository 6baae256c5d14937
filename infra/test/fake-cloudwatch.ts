/**
 * Just enough of CloudWatch for the bundled metrics readers (the SDK's JSON 1.0 protocol, pointed here with
 * `AWS_ENDPOINT_URL_CLOUDWATCH`): metrics come from the EMF documents the bundled functions printed, as CloudWatch
 * Logs would extract them. `ListMetrics` lists each metric with its one dimension; `GetMetricData` answers `Sum`
 * queries by adding the documents' values per period. Percentiles are left unanswered (CloudWatch's histogram
 * statistics are not reproduced), so they read back as null.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An Embedded Metric Format document, as a function printed it. */
export type EmfDocument = Record<string, unknown> & {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
};

export interface FakeCloudWatch {
  endpoint: string;
  /** `ListMetrics`, `GetMetricData`, …: every call made, in order. */
  calls: string[];
  close(): Promise<void>;
}

interface Query {
  Id: string;
  MetricStat: {
    Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
  };
}

export async function startFakeCloudWatch(documents: () => readonly EmfDocument[]): Promise<FakeCloudWatch> {
  const calls: string[] = [];
  /** Each document's metrics as (namespace, name, dimension name, dimension value, epoch ms, value). */
  const points = () =>
    documents().flatMap((document) =>
      document._aws.CloudWatchMetrics.flatMap(({ Namespace, Dimensions }) =>
        Dimensions.flatMap((names) =>
          Object.entries(document)
            .filter(([name, value]) => name !== '_aws' && !names.includes(name) && typeof value === 'number')
            .map(([name, value]) => ({
              namespace: Namespace,
              name,
              dimensions: names.map((dimension) => ({ Name: dimension, Value: String(document[dimension]) })),
              t: document._aws.Timestamp,
              value: value as number,
            })),
        ),
      ),
    );
  const sameDimensions = (a: { Name: string; Value: string }[], b: { Name: string; Value: string }[]) =>
    JSON.stringify(a) === JSON.stringify(b);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^GraniteServiceVersion20100801\./, '');
      calls.push(operation);
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': 'fake-cloudwatch' });
        res.end(JSON.stringify(body));
      };
      if (operation === 'ListMetrics') {
        const seen = new Map<string, unknown>();
        for (const point of points()) {
          if (input.Namespace && point.namespace !== input.Namespace) continue;
          if (input.MetricName && point.name !== input.MetricName) continue;
          const metric = { Namespace: point.namespace, MetricName: point.name, Dimensions: point.dimensions };
          seen.set(JSON.stringify(metric), metric);
        }
        reply(200, { Metrics: [...seen.values()] });
        return;
      }
      if (operation === 'GetMetricData') {
        const start = (input.StartTime as number) * 1000;
        const end = (input.EndTime as number) * 1000;
        const all = points();
        const results = (input.MetricDataQueries as Query[]).map(({ Id, MetricStat }) => {
          const sums = new Map<number, number>();
          if (MetricStat.Stat === 'Sum') {
            const period = MetricStat.Period * 1000;
            for (const point of all) {
              const { Metric } = MetricStat;
              if (point.namespace !== Metric.Namespace || point.name !== Metric.MetricName) continue;
              if (!sameDimensions(point.dimensions, Metric.Dimensions) || point.t < start || point.t >= end) continue;
              const t = start + Math.floor((point.t - start) / period) * period;
              sums.set(t, (sums.get(t) ?? 0) + point.value);
            }
          }
          const timestamps = [...sums.keys()].sort((a, b) => a - b);
          return {
            Id,
            Label: Id,
            Timestamps: timestamps.map((t) => t / 1000),
            Values: timestamps.map((t) => sums.get(t)!),
            StatusCode: 'Complete',
          };
        });
        reply(200, { MetricDataResults: results, Messages: [] });
        return;
      }
      reply(400, { __type: 'com.amazonaws.cloudwatch#InvalidAction', message: `fake CloudWatch: no ${operation}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
