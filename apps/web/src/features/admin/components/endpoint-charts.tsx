/** uPlot charts for one endpoint over time. Loaded lazily: uPlot is only needed on the admin page. */
import type { EndpointSeries } from '@squirrelbin/schemas';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { outcomeNames } from './run-outcomes-table';
import 'uplot/dist/uPlot.min.css';

type Series = EndpointSeries['series'];

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function Chart({
  title,
  data,
  series,
  testId,
  options,
}: {
  title: string;
  data: uPlot.AlignedData;
  series: uPlot.Series[];
  testId: string;
  options?: Partial<uPlot.Options>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the shape of the series changes.
  useEffect(() => {
    const element = host.current!;
    const axisColor = cssVar('--muted', '#888');
    const gridColor = cssVar('--border', '#ddd');
    const axis: uPlot.Axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } };
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 200),
        height: 180,
        series: [{}, ...series],
        axes: [axis, { ...axis, size: 50 }],
        scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] } },
        legend: { live: true },
        ...options,
      },
      data,
      element,
    );
    plot.current = chart;
    const observer = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(element.clientWidth, 200), height: 180 }),
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [series.length]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={`${title} chart`} />
    </figure>
  );
}

const times = (series: Series) => series.map((point) => Math.floor(Date.parse(point.t) / 1000));

export default function EndpointCharts({ endpoint }: { endpoint: EndpointSeries }) {
  const points = endpoint.series;
  const x = times(points);
  const client = points.map((p) => p.status4xx);
  const server = points.map((p) => p.status5xx);
  // Stacked: 5xx is drawn on top of 4xx; the legend shows each class's own count.
  const stackedServer = points.map((p) => p.status4xx + p.status5xx);
  const accent = cssVar('--accent', '#b45309');
  const warn = cssVar('--warn', '#d97706');
  const danger = cssVar('--danger', '#dc2626');
  const hasOutcomes = points.some((point) => point.outcomes);
  const outcomeColors: Record<(typeof outcomeNames)[number], string> = {
    ok: cssVar('--ok', '#1e7b34'),
    error: danger,
    timeout: warn,
    memory: cssVar('--tok-keyword', '#8e24aa'),
    killed: cssVar('--info', '#1d5fbf'),
    rejected: cssVar('--muted', '#5f6670'),
    cancelled: cssVar('--border', '#c9ced6'),
  };
  // Stacked: each band is drawn on top of the ones before it; the legend shows each outcome's own count.
  const outcomeCounts = outcomeNames.map((name) => points.map((point) => point.outcomes?.[name] ?? 0));
  // Legend formatters are fixed when a chart is built; they read the latest counts through this ref.
  const latest = useRef({ server, outcomeCounts });
  latest.current = { server, outcomeCounts };
  const outcomeStacks = outcomeCounts.map((_, index) =>
    points.map((_point, at) => outcomeCounts.slice(0, index + 1).reduce((sum, counts) => sum + counts[at]!, 0)),
  );

  return (
    <div className="charts" data-testid="endpoint-charts">
      <h3 className="mono">{endpoint.endpoint}</h3>
      <div className="chart-grid">
        <Chart
          title="Requests"
          testId="chart-requests"
          data={[x, points.map((p) => p.count)]}
          series={[{ label: 'requests', stroke: accent, fill: `${accent}33`, width: 2 }]}
        />
        <Chart
          title="Errors by class (stacked)"
          testId="chart-errors"
          data={[x, stackedServer, client]}
          series={[
            {
              label: '5xx',
              stroke: danger,
              fill: `${danger}55`,
              value: (_u, _v, _s, index) => (index === null ? '–' : String(latest.current.server[index] ?? '–')),
            },
            { label: '4xx', stroke: warn, fill: `${warn}55` },
          ]}
        />
        <Chart
          title="Latency percentiles (ms)"
          testId="chart-latency"
          data={[x, points.map((p) => p.p50), points.map((p) => p.p95), points.map((p) => p.p99)]}
          series={[
            // Latency exists only where there was traffic: points keep lone minutes visible.
            { label: 'p50', stroke: accent, width: 2, points: { show: true, size: 5, fill: accent } },
            { label: 'p95', stroke: warn, width: 2, points: { show: true, size: 5, fill: warn } },
            { label: 'p99', stroke: danger, width: 2, points: { show: true, size: 5, fill: danger } },
          ]}
        />
        {hasOutcomes ? (
          <Chart
            title="Run outcomes (stacked)"
            testId="chart-outcomes"
            // Drawn top band first so each lower band paints over the one above it.
            data={[x, ...[...outcomeStacks].reverse()]}
            series={[...outcomeNames].reverse().map((name) => {
              const index = outcomeNames.indexOf(name);
              return {
                label: name,
                stroke: outcomeColors[name],
                fill: `${outcomeColors[name]}55`,
                value: (_u: uPlot, _v: number, _s: number, at: number | null) =>
                  at === null ? '–' : String(latest.current.outcomeCounts[index]![at] ?? '–'),
              };
            })}
          />
        ) : null}
      </div>
    </div>
  );
}
