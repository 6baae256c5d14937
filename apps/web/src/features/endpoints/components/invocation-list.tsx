import type { Invocation } from '@squirrelbin/schemas';
import { Fragment, useId, useState } from 'react';
import { ErrorMessage, Loading } from '../../../components/query-status';
import { formatDateTime, formatTimeSeconds } from '../../../lib/format-date';
import { useInvocations } from '../api/list-invocations';
import { formatMs } from '../endpoint-reply';
import { type RunLogsView, StatusBadge } from './reply-view';

/** An endpoint acorn's recent calls (owner or admin), newest first, kept fresh by polling; one opens to its logs. */
export function InvocationList({
  acornId,
  pollMs,
  RunLogs,
}: {
  acornId: string;
  /** How often to look for new calls; false: only on demand. */
  pollMs: number | false;
  RunLogs: RunLogsView;
}) {
  const id = useId();
  const invocations = useInvocations(acornId, { pollMs });
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const items = invocations.data?.pages.flatMap((page) => page.items) ?? [];
  const toggle = (invocation: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(invocation)) next.delete(invocation);
      else next.add(invocation);
      return next;
    });

  if (invocations.isPending) return <Loading label="Loading recent calls…" />;
  if (invocations.isError && items.length === 0) {
    return (
      <ErrorMessage
        error={invocations.error}
        title="Could not load the recent calls"
        onRetry={() => invocations.refetch()}
      />
    );
  }
  return (
    <div className="invocations" data-testid="invocations">
      <div className="toolbar">
        <button
          type="button"
          className="small-button"
          onClick={() => invocations.refetch()}
          disabled={invocations.isFetching}
        >
          {invocations.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
        <span className="muted small">
          {pollMs ? `Checks for new calls every ${pollMs / 1000} s. ` : ''}Kept 7 days.
        </span>
      </div>
      {invocations.isError ? (
        <ErrorMessage error={invocations.error} title="Could not refresh the recent calls" />
      ) : null}
      {items.length === 0 ? (
        <p className="empty-state" data-testid="invocations-empty">
          No calls yet. Send a request above, or call the endpoint from anywhere.
        </p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on narrow screens; keyboard users must reach it.
        <section className="table-wrap" tabIndex={0} aria-label="Recent calls (scrolls sideways)">
          <table className="metrics-table invocation-table" data-testid="invocation-table">
            <caption className="visually-hidden">Recent calls of this endpoint, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Run</th>
                <th scope="col" className="num">
                  Wall
                </th>
                <th scope="col">
                  <span className="visually-hidden">Logs</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((invocation) => (
                <Fragment key={invocation.id}>
                  <InvocationRow
                    invocation={invocation}
                    open={open.has(invocation.id)}
                    detailsId={`${id}-${invocation.id}`}
                    onToggle={() => toggle(invocation.id)}
                  />
                  {open.has(invocation.id) ? (
                    <tr id={`${id}-${invocation.id}`} className="invocation-details" data-testid="invocation-details">
                      <td colSpan={6}>
                        <p className="muted small">
                          Version {invocation.acornVersion} · {formatDateTime(invocation.createdAt, { zone: true })} ·
                          CPU {formatMs(invocation.cpuMs)}
                        </p>
                        <RunLogs
                          logs={invocation.logs}
                          truncated={invocation.logsTruncated}
                          error={invocation.error ?? null}
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {invocations.hasNextPage ? (
        <button
          type="button"
          className="load-more"
          onClick={() => invocations.fetchNextPage()}
          disabled={invocations.isFetchingNextPage}
          data-testid="invocations-more"
        >
          {invocations.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}

function InvocationRow({
  invocation,
  open,
  detailsId,
  onToggle,
}: {
  invocation: Invocation;
  open: boolean;
  detailsId: string;
  onToggle: () => void;
}) {
  const target = `${invocation.path}${invocation.query ? `?${invocation.query}` : ''}`;
  return (
    <tr data-testid="invocation-row" data-status={invocation.status} data-run-status={invocation.runStatus}>
      <td className="nowrap">
        <time dateTime={invocation.createdAt} title={formatDateTime(invocation.createdAt, { zone: true })}>
          {formatTimeSeconds(invocation.createdAt)}
        </time>
      </td>
      <td className="mono invocation-target">
        {invocation.method} {target}
      </td>
      <td>
        <StatusBadge status={invocation.status} />
      </td>
      <td>
        <span className={`badge badge-${invocation.runStatus}`}>{invocation.runStatus}</span>
      </td>
      <td className="num">{formatMs(invocation.wallMs)}</td>
      <td>
        <button
          type="button"
          className="small-button"
          aria-expanded={open}
          aria-controls={open ? detailsId : undefined}
          onClick={onToggle}
          data-testid="invocation-toggle"
        >
          {open ? 'Hide logs' : `Logs (${invocation.logs.length})`}
          <span className="visually-hidden">
            {' '}
            of {invocation.method} {target}
          </span>
        </button>
      </td>
    </tr>
  );
}
