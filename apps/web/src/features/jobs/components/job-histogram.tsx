import type { JobHistogramBucket } from '@squirrelbin/schemas';
import { bucketLabel, layoutHistogram } from '../histogram';
import { formatCount } from '../job-format';

const width = 600;
const height = 180;
const margin = { top: 10, right: 12, bottom: 24, left: 40 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;
const baseline = margin.top + plotHeight;

/** The wall-time histogram of a job as an SVG bar chart (log-scale time, linear count), with the numbers as a table. */
export function JobHistogram({ buckets }: { buckets: readonly JobHistogramBucket[] }) {
  const layout = layoutHistogram(buckets, { width: plotWidth, height: plotHeight });
  if (layout.bars.length === 0) {
    return (
      <p className="muted small" data-testid="job-histogram-empty">
        The wall-time histogram appears with the first result.
      </p>
    );
  }
  const first = layout.bars[0]!;
  const last = layout.bars.at(-1)!;
  const peak = layout.bars.reduce((best, bar) => (bar.count > best.count ? bar : best));
  const summary =
    `Wall time of ${formatCount(layout.total)} ${layout.total === 1 ? 'iteration' : 'iterations'}, ` +
    `from ${bucketLabel(first)} to ${bucketLabel(last)}; the most, ${formatCount(peak.count)}, took ${bucketLabel(peak)}.`;
  return (
    <figure className="job-histogram" data-testid="job-histogram">
      <figcaption>Wall time per iteration (log scale)</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} data-testid="job-histogram-chart">
        {layout.yTicks.map((tick) => (
          <g key={tick.label} className="histogram-grid">
            <line x1={margin.left} x2={width - margin.right} y1={baseline - tick.at} y2={baseline - tick.at} />
            <text x={margin.left - 6} y={baseline - tick.at} textAnchor="end" dominantBaseline="middle">
              {tick.label}
            </text>
          </g>
        ))}
        {layout.bars.map((bar) => (
          <rect
            key={bar.fromMs}
            className="histogram-bar"
            x={margin.left + bar.x + 0.5}
            width={Math.max(bar.width - 1, 1)}
            y={baseline - bar.height}
            height={bar.height}
            data-count={bar.count}
          >
            <title>
              {bucketLabel(bar)}: {formatCount(bar.count)}
            </title>
          </rect>
        ))}
        {layout.xTicks.map((tick) => (
          <g key={tick.label} className="histogram-axis">
            <line x1={margin.left + tick.at} x2={margin.left + tick.at} y1={baseline} y2={baseline + 4} />
            <text x={margin.left + tick.at} y={baseline + 16} textAnchor="middle">
              {tick.label}
            </text>
          </g>
        ))}
      </svg>
      <details className="histogram-table">
        <summary>The histogram as a table</summary>
        <table className="metrics-table" data-testid="job-histogram-table">
          <caption className="visually-hidden">Iterations by wall time</caption>
          <thead>
            <tr>
              <th scope="col">Wall time</th>
              <th scope="col" className="num">
                Iterations
              </th>
            </tr>
          </thead>
          <tbody>
            {layout.bars.map((bar) => (
              <tr key={bar.fromMs}>
                <td>{bucketLabel(bar)}</td>
                <td className="num">{formatCount(bar.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
