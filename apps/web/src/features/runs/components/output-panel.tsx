import type { LogEntry, LogLevel, RunHttpResponse, RunResult, RunStatus } from '@squirrelbin/schemas';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { CopyButton } from '../../../components/copy-button';
import { ErrorMessage } from '../../../components/query-status';
import { VirtualList } from '../../../components/virtual-list';
import type { LiveRun } from '../hooks/use-runner';
import { ErrorLocation, errorLocationText, type LocatedRunError } from './error-location';
import { LogLine, logLineText } from './log-line';

const statusText: Record<RunStatus, string> = {
  ok: 'The run finished.',
  error: 'The code threw an error.',
  timeout: 'The run passed its time limit and was stopped.',
  memory: 'The run hit its memory limit and was stopped.',
  killed: 'The worker running the code died under it.',
};

const levels: LogLevel[] = ['log', 'info', 'warn', 'error', 'debug'];

export interface OutputPanelProps {
  result?: RunResult;
  /** The request itself failed (network, 429, 503…), as opposed to the code failing. */
  error?: unknown;
  running?: boolean;
  /** The run in flight, or the one stopped: its logs so far, shown as they arrive. */
  live?: LiveRun;
  /** Called with the 1-based line (and column) of the error when the user picks it. */
  onErrorLine?: (line: number, column?: number) => void;
  /** Empties the output. */
  onClear?: () => void;
  /** Shown above the run's details (e.g. how Run ran the code). */
  note?: ReactNode;
}

/** The output of the latest run: status, timings, logs (filterable), error and result. */
export function OutputPanel({ result, error, running = false, live, onErrorLine, onClear, note }: OutputPanelProps) {
  const id = useId();
  const stoppedAfter = running ? undefined : live?.stoppedAfterMs;
  const liveLogs = live && (running || stoppedAfter !== undefined) ? live.logs : [];
  const body = useRef<HTMLElement>(null);
  const [hidden, setHidden] = useState<ReadonlySet<LogLevel>>(new Set());
  const counts = new Map<LogLevel, number>();
  for (const entry of result?.logs ?? []) counts.set(entry.level, (counts.get(entry.level) ?? 0) + 1);
  const toggle = (level: LogLevel) =>
    setHidden((current) => {
      const next = new Set(current);
      if (next.has(level)) next.delete(level);
      else next.add(level);
      return next;
    });

  return (
    <div className="output-panel" data-testid="output-panel" aria-busy={running}>
      <header className="output-header">
        <h2 id={`${id}-heading`}>Output</h2>
        {running ? (
          <span className="badge badge-running" data-testid="run-status" data-status="running">
            running…
          </span>
        ) : stoppedAfter !== undefined ? (
          <span className="badge badge-stopped" data-testid="run-status" data-status="stopped">
            stopped
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
        {running && live ? <Elapsed since={live.startedAt} /> : null}
        {result || stoppedAfter !== undefined ? (
          <div className="output-tools">
            {result ? <CopyButton text={() => outputText(result)} label="Copy" testId="output-copy" /> : null}
            {onClear ? (
              <button type="button" onClick={onClear} disabled={running} data-testid="output-clear">
                Clear
              </button>
            ) : null}
          </div>
        ) : null}
      </header>
      {result && counts.size > 0 ? (
        <fieldset className="level-filter plain-fieldset" data-testid="level-filter">
          <legend className="visually-hidden">Show log levels</legend>
          {levels
            .filter((level) => counts.has(level))
            .map((level) => (
              <button
                key={level}
                type="button"
                className={`chip log-${level}`}
                aria-pressed={!hidden.has(level)}
                onClick={() => toggle(level)}
                data-testid={`level-${level}`}
              >
                {level} <span className="muted">{counts.get(level)}</span>
              </button>
            ))}
        </fieldset>
      ) : null}
      {/* The body scrolls inside the fixed-height pane, so it must be reachable by keyboard. */}
      <section
        ref={body}
        className="output-body"
        aria-labelledby={`${id}-heading`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to scroll by keyboard.
        tabIndex={0}
        aria-live="polite"
        data-testid="output-body"
      >
        {note && (result || error || running) ? note : null}
        {error && !running ? <ErrorMessage error={error} title="The run could not start" /> : null}
        {stoppedAfter !== undefined ? (
          <p className="notice" data-testid="run-stopped">
            Stopped after {formatSeconds(stoppedAfter)}.{liveLogs.length ? '' : ' It logged nothing.'}
          </p>
        ) : null}
        {liveLogs.length > 0 ? (
          <>
            <h3>{running ? 'This run so far' : 'Logs'}</h3>
            <VirtualList<LogEntry>
              items={liveLogs}
              scroller={body}
              className="logs"
              testId="live-logs"
              renderItem={(entry, index) => <LogLine key={index} entry={entry} />}
            />
          </>
        ) : null}
        {!result && !error && !running && stoppedAfter === undefined ? (
          <p className="muted">
            Run the code<span className="keyboard-hint"> (Ctrl/Cmd+Enter)</span> to see its logs and result here.
          </p>
        ) : null}
        {result ? (
          <div className={running ? 'run-details stale' : 'run-details'} data-testid="run-details">
            {running ? <p className="visually-hidden">Showing the previous run while the new one runs.</p> : null}
            <RunDetails result={result} hidden={hidden} scroller={body} onErrorLine={onErrorLine} />
          </div>
        ) : null}
      </section>
    </div>
  );
}

function RunDetails({
  result,
  hidden,
  scroller,
  onErrorLine,
}: {
  result: RunResult;
  hidden: ReadonlySet<LogLevel>;
  scroller: React.RefObject<HTMLElement | null>;
  onErrorLine?: OutputPanelProps['onErrorLine'];
}) {
  const { error, logs, truncated } = result;
  const shown = hidden.size === 0 ? logs : logs.filter((entry) => !hidden.has(entry.level));
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
      ) : shown.length === 0 ? (
        <p className="muted small" data-testid="run-logs-filtered">
          All {logs.length} logs are hidden by the level filter.
        </p>
      ) : (
        <VirtualList<LogEntry>
          items={shown}
          scroller={scroller}
          className="logs"
          testId="run-logs"
          // Logs never reorder, so their position is a stable key.
          renderItem={(entry, index) => <LogLine key={index} entry={entry} />}
        />
      )}
      {error ? (
        <div className="run-error" data-testid="run-error">
          <h3>Error</h3>
          <p>
            <strong>{error.name}</strong>: {error.message}{' '}
            <ErrorLocation error={error as LocatedRunError} onLine={onErrorLine} />
          </p>
          {error.stack ? (
            <details>
              <summary>Stack</summary>
              <pre className="stack">{error.stack}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
      {result.response ? <HandlerResponse response={result.response} /> : null}
      {/* A stopped run has no result worth a box: its value is whatever was left when it stopped. */}
      {result.status === 'ok' && !result.response ? (
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

/** The whole output as text, for the clipboard. */
export function outputText(result: RunResult): string {
  const lines = [`status: ${result.status} (wall ${formatMs(result.wallMs)}, CPU ${formatMs(result.cpuMs)})`];
  lines.push(...result.logs.map(logLineText));
  if (result.error) {
    const where = errorLocationText(result.error as LocatedRunError);
    lines.push(`${result.error.name}: ${result.error.message}${where ? ` (${where})` : ''}`, result.error.stack);
  }
  if (result.response) lines.push(`response: ${result.response.status}`);
  else if (result.status === 'ok') lines.push(`result: ${result.preview}`);
  return lines.filter(Boolean).join('\n');
}

/** Characters of a handler's body shown in the output (the request tester shows whole bodies). */
const responseTextShown = 4_000;

/** What an endpoint handler answered, when Run called it with a request: status, type, and the body as text. */
function HandlerResponse({ response }: { response: RunHttpResponse }) {
  const type = response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const text = bodyText(response.bodyBase64);
  return (
    <>
      <h3>Response</h3>
      <p data-testid="run-response-status">
        <strong>{response.status}</strong>
        {type ? ` · ${type}` : ''} · {response.bodyBytes} bytes
      </p>
      {text === null ? (
        <p className="muted small">A binary body: the request tester below shows its bytes.</p>
      ) : text ? (
        <pre className="run-value" data-testid="run-response-body">
          {text.length > responseTextShown ? `${text.slice(0, responseTextShown)}…` : text}
        </pre>
      ) : null}
    </>
  );
}

/** The body as UTF-8 text; null when it is not text. */
function bodyText(base64: string): string | null {
  try {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Seconds since `since` (performance.now()), counting while the run runs. */
function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, []);
  return (
    <span className="muted small" data-testid="run-elapsed">
      {formatSeconds(now - since)}
    </span>
  );
}

function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
