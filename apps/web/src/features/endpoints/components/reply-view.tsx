import type { LogEntry, RunError } from '@squirrelbin/schemas';
import type { ComponentType, ReactNode } from 'react';
import { CopyButton } from '../../../components/copy-button';
import {
  type EndpointReply,
  formatBytes,
  formatMs,
  headerValue,
  previewBody,
  problemOf,
  statusReason,
} from '../endpoint-reply';

/** How a run's logs and error are drawn; the page passes the one the run output uses. */
export type RunLogsView = ComponentType<{ logs: LogEntry[]; truncated?: boolean; error?: RunError | null }>;

/** The class of an HTTP status, for its badge's color. */
export const statusClass = (status: number | null) => (status === null ? 'none' : `${Math.floor(status / 100)}xx`);

export function StatusBadge({ status, testId }: { status: number | null; testId?: string }) {
  return (
    <span className={`badge badge-http-${statusClass(status)}`} data-testid={testId}>
      {status === null ? 'no status' : `${status} ${statusReason(status)}`.trim()}
    </span>
  );
}

/** The answer to the latest Send: status, timings, headers, body and the run's logs. */
export function ReplyView({
  reply,
  logs,
  RunLogs,
}: {
  reply: EndpointReply;
  /** What to show for the logs of a live call (they come with its invocation). */
  logs: ReactNode;
  RunLogs: RunLogsView;
}) {
  const contentType = headerValue(reply.headers, 'content-type');
  const preview = previewBody(reply.body, contentType);
  const problem = problemOf(reply);
  const { pathname, search } = new URL(reply.url);
  return (
    <div className="endpoint-reply" data-testid="tester-reply" data-mode={reply.mode}>
      <p className="reply-summary">
        <span className="mono">
          {reply.method} {pathname}
          {search}
        </span>{' '}
        <StatusBadge status={reply.status} testId="tester-status" />
        {reply.runStatus ? (
          <span className={`badge badge-${reply.runStatus}`} data-testid="tester-run-status">
            run {reply.runStatus}
          </span>
        ) : null}
        <span className={reply.mode === 'live' ? 'badge badge-live' : 'badge'} data-testid="tester-reply-mode">
          {reply.mode === 'live' ? 'live' : 'draft — not recorded'}
        </span>
      </p>
      <p className="muted small" data-testid="tester-timings">
        {reply.wallMs !== null ? `run ${formatMs(reply.wallMs)}` : 'run time not reported'}
        {reply.mode === 'live' && reply.wallMs !== null ? ' (X-Run-Wall-Ms)' : ''}
        {reply.cpuMs !== null ? ` · CPU ${formatMs(reply.cpuMs)}` : ''} · round trip {formatMs(reply.roundTripMs)}
      </p>
      {reply.redirect ? (
        <p className="notice" data-testid="tester-redirect">
          The endpoint answered with a redirect. A page may not read where it points; change anything in the editor to
          run the draft, which shows the whole answer.
        </p>
      ) : null}
      {problem ? (
        <div className="error-box" data-testid="tester-problem">
          <strong>{problem.title ?? 'The endpoint answered with a problem'}</strong>
          {problem.detail ? <p>{problem.detail}</p> : null}
          {problem.runStatus ? <p className="small">Run status: {problem.runStatus}</p> : null}
          {problem.requestId ? <p className="muted small">Request id: {problem.requestId}</p> : null}
        </div>
      ) : null}
      {reply.mode === 'draft' && reply.status === null ? (
        <p className="notice">The run finished without an HTTP response.</p>
      ) : null}
      <details className="reply-headers">
        <summary>Response headers ({reply.headers.length})</summary>
        {reply.headers.length === 0 ? (
          <p className="muted small">None.</p>
        ) : (
          <pre className="code-block" data-testid="tester-headers">
            {reply.headers.map(([name, value]) => `${name}: ${value}`).join('\n')}
          </pre>
        )}
      </details>
      <h4>
        Body{' '}
        <span className="muted small">
          {formatBytes(reply.body.length)}
          {contentType ? ` · ${contentType}` : ''}
        </span>
      </h4>
      {preview.kind === 'empty' ? (
        <p className="muted small" data-testid="tester-body-empty">
          No body.
        </p>
      ) : preview.kind === 'text' ? (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard. */}
          <pre className="code-block" tabIndex={0} data-testid="tester-body">
            {preview.text}
          </pre>
          {preview.truncated ? <p className="muted small">Only the beginning is shown.</p> : null}
        </>
      ) : (
        <div data-testid="tester-body-binary">
          <p className="small">
            Binary body, {formatBytes(preview.bytes)}: not shown as text.{' '}
            {preview.truncated ? 'The first 256 bytes' : 'Its bytes'} in hex:
          </p>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard. */}
          <pre className="code-block" tabIndex={0}>
            {preview.hex}
          </pre>
          <CopyButton text={preview.base64} label="Copy the body as base64" />
        </div>
      )}
      <h4>Logs</h4>
      {reply.logs ? <RunLogs logs={reply.logs} truncated={reply.logsTruncated} error={reply.error} /> : logs}
    </div>
  );
}
