import type { JobResult } from '@squirrelbin/schemas';
import { useState } from 'react';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { useJobResults } from '../api/list-job-results';
import { formatMs } from '../job-format';

const pageSize = 50;
/** While the job runs, the page shown is read again this often (its iterations finish). */
const runningPollMs = 2_000;

/** A job's results by iteration, a page at a time (cursor pages; Previous goes back through the ones seen). */
export function JobResults({ jobId, total, running }: { jobId: string; total: number; running: boolean }) {
  /** The cursor of every page up to the one shown (null: the first page). */
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const results = useJobResults(jobId, {
    cursor: cursors[page] ?? null,
    limit: pageSize,
    pollMs: running ? runningPollMs : false,
  });
  const items = results.data?.items ?? [];
  // A page that ends at the last iteration has nothing after it, whatever cursor the store hands back.
  const atEnd = items.length > 0 && items.at(-1)!.iteration >= total - 1;
  const nextCursor = results.isPlaceholderData || atEnd ? null : (results.data?.nextCursor ?? null);

  if (results.isPending) return <Loading label="Loading results…" />;
  if (results.isError && !results.data) {
    return <ErrorMessage error={results.error} title="Could not load the results" onRetry={() => results.refetch()} />;
  }
  return (
    <div className="job-results" data-testid="job-results">
      {results.isError ? <ErrorMessage error={results.error} title="Could not refresh the results" /> : null}
      {items.length === 0 ? (
        <p className="empty-state" data-testid="job-results-empty">
          {page === 0 ? 'No results yet: each iteration shows up here once it has run.' : 'No more results.'}
        </p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on narrow screens; keyboard users must reach it.
        <section className="table-wrap" tabIndex={0} aria-label="Results (scrolls sideways)">
          <table
            className="metrics-table job-results-table"
            data-testid="job-results-table"
            aria-busy={results.isPlaceholderData}
          >
            <caption className="visually-hidden">Results by iteration, page {page + 1}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Iteration
                </th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Wall
                </th>
                <th scope="col" className="num">
                  CPU
                </th>
                <th scope="col">Value or error</th>
              </tr>
            </thead>
            <tbody>
              {items.map((result) => (
                <ResultRow key={result.iteration} result={result} />
              ))}
            </tbody>
          </table>
        </section>
      )}
      <nav className="toolbar job-pager" aria-label="Results pages">
        <button
          type="button"
          className="small-button"
          onClick={() => setCursors((current) => current.slice(0, -1))}
          disabled={page === 0}
          data-testid="job-results-previous"
        >
          Previous
        </button>
        <span className="muted small" data-testid="job-results-page" aria-live="polite">
          Page {page + 1}
          {items.length > 0 ? ` · iterations ${items[0]!.iteration}–${items.at(-1)!.iteration}` : ''}
        </span>
        <button
          type="button"
          className="small-button"
          onClick={() => nextCursor && setCursors((current) => [...current, nextCursor])}
          disabled={!nextCursor}
          data-testid="job-results-next"
        >
          Next
        </button>
      </nav>
    </div>
  );
}

function ResultRow({ result }: { result: JobResult }) {
  const text = result.error
    ? `${result.error.name}: ${result.error.message}`
    : (result.preview ?? (result.value === undefined ? '' : JSON.stringify(result.value)));
  return (
    <tr data-testid="job-result-row" data-status={result.status}>
      <td className="num">{result.iteration}</td>
      <td>
        <span className={`badge badge-${result.status}`}>{result.status}</span>
      </td>
      <td className="num">{formatMs(result.wallMs)}</td>
      <td className="num">{formatMs(result.cpuMs)}</td>
      <td className={result.error ? 'mono job-result-value job-result-error' : 'mono job-result-value'} title={text}>
        {text}
      </td>
    </tr>
  );
}
