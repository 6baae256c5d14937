import type { EndpointSeries } from '@squirrelbin/schemas';
import { useState } from 'react';

type Column = 'endpoint' | 'count' | 'errorRate' | 'p50' | 'p99';

const columns: { id: Column; label: string; numeric: boolean }[] = [
  { id: 'endpoint', label: 'Endpoint', numeric: false },
  { id: 'count', label: 'Requests', numeric: true },
  { id: 'errorRate', label: 'Error %', numeric: true },
  { id: 'p50', label: 'p50 (ms)', numeric: true },
  { id: 'p99', label: 'p99 (ms)', numeric: true },
];

export function errorRate(totals: EndpointSeries['totals']): number | null {
  return totals.count === 0 ? null : ((totals.status4xx + totals.status5xx) / totals.count) * 100;
}

function cellValue(row: EndpointSeries, column: Column): string | number | null {
  switch (column) {
    case 'endpoint':
      return row.endpoint;
    case 'count':
      return row.totals.count;
    case 'errorRate':
      return errorRate(row.totals);
    case 'p50':
      return row.totals.p50;
    case 'p99':
      return row.totals.p99;
  }
}

export interface MetricsTableProps {
  endpoints: EndpointSeries[];
  selected: string | null;
  onSelect: (endpoint: string) => void;
}

/** Totals per endpoint over the chosen range; every column sorts. */
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
    <div className="table-wrap">
      <table className="metrics-table" data-testid="metrics-table">
        <caption className="visually-hidden">Requests, errors and latency per endpoint</caption>
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
          {rows.map((row) => {
            const rate = errorRate(row.totals);
            return (
              <tr key={row.endpoint} aria-selected={row.endpoint === selected} data-testid="metrics-row">
                <th scope="row" className="mono">
                  {row.endpoint}
                </th>
                <td className="num">{row.totals.count}</td>
                <td className="num">{rate === null ? '–' : `${rate.toFixed(1)}%`}</td>
                <td className="num">{formatLatency(row.totals.p50)}</td>
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
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function formatLatency(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}
