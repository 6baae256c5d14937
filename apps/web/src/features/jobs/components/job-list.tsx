import type { Job } from '@squirrelbin/schemas';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { formatDateTime } from '../../../lib/format-date';
import { useJobs } from '../api/list-jobs';
import { formatCount, formatMs, jobStatusBadge } from '../job-format';
import { jobTitle } from './job-view';

/** The caller's jobs on this acorn, newest first; Show opens one above. */
export function JobList({
  acornId,
  selectedId,
  onSelect,
}: {
  acornId: string;
  selectedId: string | undefined;
  onSelect: (job: Job) => void;
}) {
  const jobs = useJobs(acornId);
  const items = jobs.data?.pages.flatMap((page) => page.items) ?? [];

  if (jobs.isPending) return <Loading label="Loading past jobs…" />;
  if (jobs.isError && items.length === 0) {
    return <ErrorMessage error={jobs.error} title="Could not load the past jobs" onRetry={() => jobs.refetch()} />;
  }
  return (
    <div className="job-list" data-testid="job-list">
      {jobs.isError ? <ErrorMessage error={jobs.error} title="Could not refresh the past jobs" /> : null}
      {items.length === 0 ? (
        <p className="empty-state" data-testid="job-list-empty">
          No jobs on this acorn yet.
        </p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on narrow screens; keyboard users must reach it.
        <section className="table-wrap" tabIndex={0} aria-label="Past jobs (scrolls sideways)">
          <table className="metrics-table job-list-table" data-testid="job-list-table">
            <caption className="visually-hidden">Your jobs on this acorn, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Job</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Done
                </th>
                <th scope="col" className="num">
                  Wall p50
                </th>
                <th scope="col">
                  <span className="visually-hidden">Show</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((job) => {
                const selected = job.id === selectedId;
                return (
                  <tr
                    key={job.id}
                    aria-selected={selected}
                    data-testid="job-row"
                    data-job-id={job.id}
                    data-status={job.status}
                  >
                    <td className="nowrap">
                      <time dateTime={job.createdAt}>{formatDateTime(job.createdAt)}</time>
                    </td>
                    <td>
                      {jobTitle(job)} <span className="muted small">· concurrency {job.concurrency}</span>
                    </td>
                    <td>
                      <span className={`badge ${jobStatusBadge[job.status]}`}>{job.status}</span>
                    </td>
                    <td className="num">
                      {formatCount(job.done)} / {formatCount(job.total)}
                    </td>
                    <td className="num">{formatMs(job.wallMs.p50)}</td>
                    <td>
                      <button
                        type="button"
                        className="small-button"
                        aria-current={selected ? 'true' : undefined}
                        onClick={() => onSelect(job)}
                        data-testid="job-show"
                      >
                        {selected ? 'Shown' : 'Show'}
                        <span className="visually-hidden">
                          {' '}
                          {jobTitle(job)}, created {formatDateTime(job.createdAt)}
                        </span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {jobs.hasNextPage ? (
        <button
          type="button"
          className="load-more"
          onClick={() => jobs.fetchNextPage()}
          disabled={jobs.isFetchingNextPage}
          data-testid="job-list-more"
        >
          {jobs.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}
