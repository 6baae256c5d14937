import type { RunResult, RunStatus } from '@squirrelbin/schemas';
import { ErrorMessage } from '../../../components/query-status';

const statusText: Record<RunStatus, string> = {
  ok: 'The run finished.',
  error: 'The code threw an error.',
  timeout: 'The run passed its time limit and was stopped.',
  memory: 'The run hit its memory limit and was stopped.',
  killed: 'The worker running the code died under it.',
};

export interface OutputPanelProps {
  result?: RunResult;
  /** The request itself failed (network, 429, 503…), as opposed to the code failing. */
  error?: unknown;
  running?: boolean;
  /** Called with the 1-based line (and column) of the error when the user picks it. */
  onErrorLine?: (line: number, column?: number) => void;
}

export function OutputPanel({ result, error, running = false, onErrorLine }: OutputPanelProps) {
  return (
    <section className="output-panel" aria-labelledby="output-heading" data-testid="output-panel" aria-busy={running}>
      <header className="output-header">
        <h2 id="output-heading">Output</h2>
        {running ? (
          <span className="badge badge-running" data-testid="run-status" data-status="running">
            running…
          </span>
        ) : result ? (
          <>
            <span
              className={`badge badge-${result.status}`}
              data-testid="run-status"
              data-status={result.status}
              title={statusText[result.status]}
            >
              {result.status}
            </span>
            <span className="muted small" data-testid="run-timings">
              wall {formatMs(result.wallMs)} · CPU {formatMs(result.cpuMs)}
            </span>
          </>
        ) : null}
      </header>
      <div className="output-body" aria-live="polite">
        {error && !running ? <ErrorMessage error={error} title="The run could not start" /> : null}
        {!result && !error && !running ? (
          <p className="muted">Run the code (Ctrl/Cmd+Enter) to see its logs and result here.</p>
        ) : null}
        {result && !running ? <RunDetails result={result} onErrorLine={onErrorLine} /> : null}
      </div>
    </section>
  );
}

function RunDetails({ result, onErrorLine }: { result: RunResult; onErrorLine?: OutputPanelProps['onErrorLine'] }) {
  const { error, logs, truncated } = result;
  return (
    <>
      <p className="visually-hidden">{statusText[result.status]}</p>
      {truncated.logs || truncated.value ? (
        <p className="notice" role="note" data-testid="run-truncated">
          Output was truncated:{' '}
          {[truncated.logs ? 'some logs were dropped' : null, truncated.value ? 'the result was cut short' : null]
            .filter(Boolean)
            .join(' and ')}
          .
        </p>
      ) : null}
      <h3>Logs</h3>
      {logs.length === 0 ? (
        <p className="muted small" data-testid="run-no-logs">
          No logs.
        </p>
      ) : (
        <ol className="logs" data-testid="run-logs">
          {logs.map((entry, index) => (
            // Logs never reorder, so their position is a stable key.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={index} className={`log log-${entry.level}`} data-level={entry.level}>
              <span className="log-level">{entry.level}</span>
              <span className="log-time muted">+{Math.round(entry.t)} ms</span>
              <pre className="log-message">{entry.message}</pre>
            </li>
          ))}
        </ol>
      )}
      {error ? (
        <div className="run-error" data-testid="run-error">
          <h3>Error</h3>
          <p>
            <strong>{error.name}</strong>: {error.message}
            {error.line !== undefined ? (
              <>
                {' '}
                <button
                  type="button"
                  className="link-button"
                  data-testid="run-error-line"
                  onClick={() => onErrorLine?.(error.line!, error.column)}
                >
                  line {error.line}
                  {error.column !== undefined ? `:${error.column}` : ''}
                </button>
              </>
            ) : null}
          </p>
          {error.stack ? (
            <details>
              <summary>Stack</summary>
              <pre className="stack">{error.stack}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
      {result.status === 'ok' || result.preview !== 'undefined' ? (
        <>
          <h3>Result</h3>
          <pre className="run-value" data-testid="run-value">
            {result.preview}
          </pre>
        </>
      ) : null}
    </>
  );
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
