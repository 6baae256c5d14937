import type { Job, JobCounts } from '@squirrelbin/schemas';
import { useId, useState } from 'react';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { formatDateTime, formatTimeSeconds } from '../../../lib/format-date';
import { useCancelJob } from '../api/cancel-job';
import { useJobProgress } from '../hooks/use-job-progress';
import { formatCount, formatMs, formatRate, jobStatusBadge, percentDone } from '../job-format';
import { hasEnded, isFinishedJob } from '../job-limits';
import { JobHistogram } from './job-histogram';
import { JobResults } from './job-results';

const runStatuses: (keyof JobCounts)[] = ['ok', 'error', 'timeout', 'memory', 'killed'];

/** One job, live while it runs: progress, counts, percentiles, histogram, first errors, results; and Cancel. */
export function JobView({ jobId, placeholder }: { jobId: string; placeholder?: Job }) {
  const { job: query, streamError, reconnect } = useJobProgress(jobId, placeholder);
  const job = query.data;
  if (!job) {
    if (query.isError) {
      return <ErrorMessage error={query.error} title="Could not load the job" onRetry={() => query.refetch()} />;
    }
    return <Loading label="Loading the job…" />;
  }
  return <JobDetails job={job} streamError={streamError} onReconnect={reconnect} />;
}

export function jobTitle(job: Pick<Job, 'kind' | 'total'>): string {
  return job.kind === 'load'
    ? `Load test · ${formatCount(job.total)} ${job.total === 1 ? 'iteration' : 'iterations'}`
    : `Batch · ${formatCount(job.total)} ${job.total === 1 ? 'input' : 'inputs'}`;
}

function JobDetails({ job, streamError, onReconnect }: { job: Job; streamError: unknown; onReconnect: () => void }) {
  const id = useId();
  const ended = hasEnded(job);
  const cancel = useCancelJob();
  const [cancelAsked, setCancelAsked] = useState(false);
  // Cancelled while iterations were in flight: those finish and are recorded before the job ends.
  const winding = job.status === 'cancelled' && !ended;
  const percent = percentDone(job.done, job.total);

  return (
    <section
      className="job-view"
      aria-labelledby={`${id}-title`}
      data-testid="job-view"
      data-job-id={job.id}
      data-status={job.status}
      data-ended={ended}
    >
      <div className="job-head">
        <h3 id={`${id}-title`}>{jobTitle(job)}</h3>
        <span role="status" className={`badge ${jobStatusBadge[job.status]}`} data-testid="job-status">
          {job.status}
        </span>
        {isFinishedJob(job.status) ? null : (
          <button
            type="button"
            className="small-button danger"
            onClick={() => cancel.mutate(job.id, { onSuccess: () => setCancelAsked(true) })}
            disabled={cancel.isPending || cancelAsked}
            data-testid="job-cancel"
          >
            {cancel.isPending || cancelAsked ? 'Cancelling…' : 'Cancel job'}
          </button>
        )}
      </div>
      <p className="muted small job-meta">
        Concurrency {job.concurrency} · acorn version {job.acornVersion} · created{' '}
        <time dateTime={job.createdAt}>{formatDateTime(job.createdAt)}</time>
        {job.finishedAt ? (
          <>
            {' '}
            · ended <time dateTime={job.finishedAt}>{formatTimeSeconds(job.finishedAt)}</time>
          </>
        ) : null}
      </p>
      {winding ? (
        <p className="status-line small" data-testid="job-winding">
          Cancelled: no new iteration starts; the ones in flight finish and are recorded.
        </p>
      ) : null}
      {cancel.isError ? <ErrorMessage error={cancel.error} title="Could not cancel the job" focus /> : null}
      {streamError ? (
        <div className="error-box" role="alert" data-testid="job-stream-error">
          <strong>Live progress stopped</strong>
          <p>{(streamError as Error).message}</p>
          <button type="button" onClick={onReconnect}>
            Reconnect
          </button>
        </div>
      ) : null}

      <div className="job-progress">
        <div
          className={`job-progress-track job-progress-${job.status}`}
          role="progressbar"
          aria-label="Iterations done"
          aria-valuemin={0}
          aria-valuemax={job.total}
          aria-valuenow={job.done}
          aria-valuetext={`${formatCount(job.done)} of ${formatCount(job.total)} (${percent}%)`}
          data-testid="job-progress"
        >
          <div className="job-progress-fill" style={{ width: `${percent}%` }} />
        </div>
        <span className="job-progress-text" data-testid="job-progress-text">
          {formatCount(job.done)} / {formatCount(job.total)} · {percent}%
        </span>
      </div>

      <ul className="job-counts" aria-label="Runs by status" data-testid="job-counts">
        {runStatuses.map((status) => (
          <li key={status} data-testid={`job-count-${status}`} data-count={job.counts[status]}>
            <span className={`badge badge-${status}`}>{status}</span> {formatCount(job.counts[status])}
          </li>
        ))}
      </ul>

      <div className="job-numbers">
        <div className="job-latency">
          <table className="metrics-table job-stats" data-testid="job-stats">
            <caption className="visually-hidden">Latency percentiles</caption>
            <thead>
              <tr>
                <th scope="col">Latency</th>
                <th scope="col" className="num">
                  p50
                </th>
                <th scope="col" className="num">
                  p95
                </th>
                <th scope="col" className="num">
                  p99
                </th>
                <th scope="col" className="num">
                  max
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Wall</th>
                <td className="num" data-testid="job-wall-p50">
                  {formatMs(job.wallMs.p50)}
                </td>
                <td className="num" data-testid="job-wall-p95">
                  {formatMs(job.wallMs.p95)}
                </td>
                <td className="num" data-testid="job-wall-p99">
                  {formatMs(job.wallMs.p99)}
                </td>
                <td className="num" data-testid="job-wall-max">
                  {formatMs(job.wallMs.max)}
                </td>
              </tr>
              <tr>
                <th scope="row">CPU</th>
                <td className="num" data-testid="job-cpu-p50">
                  {formatMs(job.cpuMs.p50)}
                </td>
                <td className="num" data-testid="job-cpu-p95">
                  {formatMs(job.cpuMs.p95)}
                </td>
                <td className="num" data-testid="job-cpu-p99">
                  {formatMs(job.cpuMs.p99)}
                </td>
                <td className="num">
                  <span aria-hidden="true">–</span>
                  <span className="visually-hidden">not measured</span>
                </td>
              </tr>
            </tbody>
          </table>
          <p className="muted small">
            Throughput <strong data-testid="job-rate">{formatRate(job.runsPerSecond)}</strong> · percentiles are within
            ±10 %
          </p>
        </div>
        <JobHistogram buckets={job.wallMsHistogram} />
      </div>

      {job.errors.length > 0 ? (
        <section aria-labelledby={`${id}-errors`} className="job-errors" data-testid="job-errors">
          <h4 id={`${id}-errors`}>First errors</h4>
          <ul>
            {job.errors.map((error) => (
              <li key={error.iteration}>
                Iteration {error.iteration}: <strong>{error.name}</strong>: {error.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby={`${id}-results`}>
        <h4 id={`${id}-results`}>Results</h4>
        <JobResults jobId={job.id} total={job.total} running={!ended} />
      </section>
    </section>
  );
}
