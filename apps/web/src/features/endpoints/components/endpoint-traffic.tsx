import type { EndpointSeries, MetricsStep } from '@squirrelbin/schemas';
import { type ReactNode, useId, useState } from 'react';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { useAcornMetrics } from '../api/get-acorn-metrics';
import { formatMs } from '../endpoint-reply';

export type TrafficRanges = Record<string, { label: string; ms: number; step: MetricsStep }>;

/**
 * This acorn's traffic over a chosen range: totals, and charts drawn by `charts` (the admin page's, loaded lazily
 * by the page) for its one series `acorn:{id}`.
 */
export function EndpointTraffic({
  acornId,
  ranges,
  initialRange,
  refreshMs,
  charts,
}: {
  acornId: string;
  ranges: TrafficRanges;
  initialRange: string;
  refreshMs: number | false;
  charts: (series: EndpointSeries) => ReactNode;
}) {
  const id = useId();
  const [rangeName, setRangeName] = useState(initialRange);
  const range = ranges[rangeName]!;
  const metrics = useAcornMetrics(acornId, { name: rangeName, ms: range.ms, step: range.step }, refreshMs);
  const series = metrics.data?.endpoints[0];
  const totals = series?.totals;

  return (
    <div className="endpoint-traffic" data-testid="endpoint-traffic">
      <div className="toolbar">
        <div className="field inline-field">
          <label htmlFor={`${id}-range`}>Range</label>
          <select id={`${id}-range`} value={rangeName} onChange={(event) => setRangeName(event.target.value)}>
            {Object.entries(ranges).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="small-button" onClick={() => metrics.refetch()} disabled={metrics.isFetching}>
          {metrics.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {metrics.isPending ? <Loading label="Loading traffic…" /> : null}
      {metrics.isError ? (
        <ErrorMessage error={metrics.error} title="Could not load the traffic" onRetry={() => metrics.refetch()} />
      ) : null}
      {totals ? (
        <p className="traffic-totals" data-testid="traffic-totals">
          <span>
            <strong data-testid="traffic-count">{totals.count}</strong> {totals.count === 1 ? 'request' : 'requests'}
          </span>
          <span>4xx {totals.status4xx}</span>
          <span>5xx {totals.status5xx}</span>
          <span>
            p50 {latency(totals.p50)} · p95 {latency(totals.p95)} · p99 {latency(totals.p99)}
          </span>
        </p>
      ) : null}
      {series && totals ? (
        totals.count > 0 ? (
          charts(series)
        ) : (
          <p className="muted">No calls in this range yet. Charts appear with the first one.</p>
        )
      ) : null}
    </div>
  );
}

const latency = (ms: number | null) => (ms === null ? '–' : formatMs(ms));
