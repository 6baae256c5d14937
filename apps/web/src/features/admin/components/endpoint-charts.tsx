/** uPlot charts for one endpoint over time. Loaded lazily: uPlot is only needed on the admin page. */
import type { EndpointSeries } from '@squirrelbin/schemas';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
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
              value: (_u, _v, _s, index) => (index === null ? '–' : String(server[index] ?? '–')),
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
      </div>
    </div>
  );
}
