import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { formatDateTime, formatTime } from '../../../lib/format-date';
import { type MetricsRange, metricsRanges, useMetrics } from '../api/get-metrics';
import { MetricsTable } from './metrics-table';
import { RunOutcomesTable } from './run-outcomes-table';

const EndpointCharts = lazy(() => import('./endpoint-charts'));

const refreshChoices = { off: false, '10s': 10_000, '30s': 30_000, '1m': 60_000 } as const;
type RefreshChoice = keyof typeof refreshChoices;

/** Per-endpoint traffic, errors and latency over a chosen range, refreshed on a timer. */
export function AdminDashboard() {
  const [range, setRange] = useState<MetricsRange>('1h');
  const [refresh, setRefresh] = useState<RefreshChoice>('30s');
  const [selected, setSelected] = useState<string | null>(null);
  const metrics = useMetrics(range, refreshChoices[refresh]);
  const id = useId();

  const endpoints = metrics.data?.endpoints ?? [];
  const withTraffic = endpoints.filter((endpoint) => endpoint.totals.count > 0);
  const busiest = [...withTraffic].sort((a, b) => b.totals.count - a.totals.count)[0];
  const shown = endpoints.find((endpoint) => endpoint.endpoint === selected) ?? busiest;

  useEffect(() => {
    if (selected && !endpoints.some((endpoint) => endpoint.endpoint === selected)) setSelected(null);
  }, [endpoints, selected]);

  return (
    <div className="admin">
      <fieldset className="toolbar plain-fieldset">
        <legend className="visually-hidden">Range and refresh</legend>
        <div className="field inline-field">
          <label htmlFor={`${id}-range`}>Range</label>
          <select
            id={`${id}-range`}
            value={range}
            onChange={(event) => setRange(event.target.value as MetricsRange)}
            data-testid="metrics-range"
          >
            {Object.entries(metricsRanges).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field inline-field">
          <label htmlFor={`${id}-refresh`}>Auto-refresh</label>
          <select
            id={`${id}-refresh`}
            value={refresh}
            onChange={(event) => setRefresh(event.target.value as RefreshChoice)}
          >
            {Object.keys(refreshChoices).map((choice) => (
              <option key={choice} value={choice}>
                {choice === 'off' ? 'Off' : `Every ${choice}`}
              </option>
            ))}
          </select>
        </div>
        <button type="button" onClick={() => metrics.refetch()} disabled={metrics.isFetching}>
          {metrics.isFetching ? 'Refreshing…' : 'Refresh now'}
        </button>
        {metrics.data ? (
          <span className="muted small" aria-live="polite">
            {formatDateTime(metrics.data.from)} – {formatTime(metrics.data.to)} · step {metrics.data.step}
          </span>
        ) : null}
      </fieldset>
      {metrics.isPending ? <Loading label="Loading metrics…" /> : null}
      {metrics.isError ? (
        <ErrorMessage error={metrics.error} title="Could not load metrics" onRetry={() => metrics.refetch()} />
      ) : null}
      {metrics.data ? (
        <>
          <section aria-labelledby={`${id}-endpoints`}>
            <h2 id={`${id}-endpoints`}>Endpoints</h2>
            {endpoints.length === 0 ? (
              <p className="empty-state" data-testid="metrics-empty">
                No traffic recorded in this range yet.
              </p>
            ) : (
              <MetricsTable endpoints={endpoints} selected={shown?.endpoint ?? null} onSelect={setSelected} />
            )}
          </section>
          <section aria-labelledby={`${id}-outcomes`}>
            <h2 id={`${id}-outcomes`}>Run outcomes</h2>
            <RunOutcomesTable endpoints={endpoints} />
          </section>
          <section aria-labelledby={`${id}-charts`} className="charts-section">
            <h2 id={`${id}-charts`}>Over time</h2>
            {shown ? (
              <Suspense fallback={<Loading label="Loading charts…" />}>
                <EndpointCharts endpoint={shown} />
              </Suspense>
            ) : (
              <p className="muted">Charts appear once an endpoint has traffic in this range.</p>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
