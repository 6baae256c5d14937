import type { EndpointSeries } from '@squirrelbin/schemas';
import { useState } from 'react';

type Column = 'endpoint' | 'count' | 'status4xx' | 'status5xx' | 'p50' | 'p95' | 'p99';

const columns: { id: Column; label: string; numeric: boolean }[] = [
  { id: 'endpoint', label: 'Endpoint', numeric: false },
  { id: 'count', label: 'Requests', numeric: true },
  { id: 'status4xx', label: '4xx', numeric: true },
  { id: 'status5xx', label: '5xx', numeric: true },
  { id: 'p50', label: 'p50 (ms)', numeric: true },
  { id: 'p95', label: 'p95 (ms)', numeric: true },
  { id: 'p99', label: 'p99 (ms)', numeric: true },
];

/** Share of requests in a status class, in percent; null without traffic. */
export function classRate(totals: EndpointSeries['totals'], statusClass: 'status4xx' | 'status5xx'): number | null {
  return totals.count === 0 ? null : (totals[statusClass] / totals.count) * 100;
}

function cellValue(row: EndpointSeries, column: Column): string | number | null {
  return column === 'endpoint' ? row.endpoint : row.totals[column];
}

export interface MetricsTableProps {
  endpoints: EndpointSeries[];
  selected: string | null;
  onSelect: (endpoint: string) => void;
}

/** Totals per endpoint over the chosen range: client and server errors apart, three percentiles; every column sorts. */
export function MetricsTable({ endpoints, selected, onSelect }: MetricsTableProps) {
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({ column: 'count', descending: true });
  const rows = [...endpoints].sort((a, b) => {
    const x = cellValue(a, sort.column);
    const y = cellValue(b, sort.column);
    // Empty cells sort last whichever the direction.
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
    return sort.descending ? -order : order;
  });
  const toggle = (column: Column) =>
    setSort((current) =>
      current.column === column
        ? { column, descending: !current.descending }
        : { column, descending: column !== 'endpoint' },
    );

  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on narrow screens; keyboard users must reach it.
    <section className="table-wrap" tabIndex={0} aria-label="Endpoint totals (scrolls sideways)">
      <table className="metrics-table" data-testid="metrics-table">
        <caption className="visually-hidden">Requests, client and server errors, and latency per endpoint</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th
                key={column.id}
                scope="col"
                className={column.numeric ? 'num' : undefined}
                aria-sort={sort.column === column.id ? (sort.descending ? 'descending' : 'ascending') : undefined}
              >
                <button type="button" className="sort-button" onClick={() => toggle(column.id)}>
                  {column.label}
                  <span aria-hidden="true">{sort.column === column.id ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                </button>
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Charts</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.endpoint} aria-selected={row.endpoint === selected} data-testid="metrics-row">
              <th scope="row" className="mono">
                {row.endpoint}
              </th>
              <td className="num">{row.totals.count}</td>
              <td className="num" data-testid="cell-4xx">
                {withRate(row.totals.status4xx, classRate(row.totals, 'status4xx'))}
              </td>
              <td className="num" data-testid="cell-5xx">
                {withRate(row.totals.status5xx, classRate(row.totals, 'status5xx'))}
              </td>
              <td className="num">{formatLatency(row.totals.p50)}</td>
              <td className="num" data-testid="cell-p95">
                {formatLatency(row.totals.p95)}
              </td>
              <td className="num">{formatLatency(row.totals.p99)}</td>
              <td>
                <button
                  type="button"
                  onClick={() => onSelect(row.endpoint)}
                  aria-pressed={row.endpoint === selected}
                  className="small-button"
                >
                  Charts<span className="visually-hidden"> for {row.endpoint}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function withRate(count: number, rate: number | null): string {
  return count === 0 || rate === null ? String(count) : `${count} (${rate.toFixed(rate < 10 ? 1 : 0)}%)`;
}

export function formatLatency(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}
