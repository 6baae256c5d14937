/**
 * The run state of an editor: the input as typed, the latest result (kept while the next run is in flight), the
 * running run's logs as they arrive, and Stop (also Esc).
 */
import type { LogEntry, RunResult } from '@squirrelbin/schemas';
import { useCallback, useEffect, useRef, useState } from 'react';
import { parseRunInput } from '../components/run-input-field';
import { type RunRequest, useRun } from './use-run';

/** The run in flight (or the one stopped): its logs so far, when it started, and when it was stopped. */
export interface LiveRun {
  logs: LogEntry[];
  /** performance.now() at the start. */
  startedAt: number;
  stoppedAfterMs?: number;
}

export function useRunner() {
  const run = useRun();
  const [result, setResult] = useState<RunResult | undefined>();
  const [inputText, setInputText] = useState('');
  const [inputError, setInputError] = useState<string | undefined>();
  /** Counts started runs, so the layout can bring the output into view after each. */
  const [runCount, setRunCount] = useState(0);
  /** What the latest run asked for. */
  const [ran, setRan] = useState<RunRequest | undefined>();
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [live, setLive] = useState<LiveRun | undefined>();
  const controller = useRef<AbortController | undefined>(undefined);

  /** Aborts the request, which ends the run on the server; the logs so far stay. */
  const stop = useCallback(() => {
    if (!controller.current) return;
    controller.current.abort();
    controller.current = undefined;
    setResult(undefined);
    setLive((current) => current && { ...current, stoppedAfterMs: performance.now() - current.startedAt });
  }, []);
  const running = run.isPending && live?.stoppedAfterMs === undefined;

  // Leaving the page ends its run.
  useEffect(() => () => controller.current?.abort(), []);
  // Esc stops a run, unless it belongs to a dialog or closed something (the editor's completions, a menu).
  useEffect(() => {
    if (!running) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if ((event.target as Element | null)?.closest?.('dialog, [role="dialog"], [role="alertdialog"]')) return;
      stop();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [running, stop]);

  /**
   * Runs what `request` makes of the parsed input; refuses (and says why, at the input) when it is not JSON. With
   * `withInput: false` (a run that takes no input, e.g. an endpoint handler's) the input is not read.
   */
  const start = useCallback(
    (request: (input: unknown) => RunRequest, { withInput = true }: { withInput?: boolean } = {}) => {
      const parsed = withInput ? parseRunInput(inputText) : { ok: true as const, value: undefined };
      if (!parsed.ok) {
        setInputError(parsed.message);
        // The previous output no longer answers what is on screen.
        setResult(undefined);
        setLive(undefined);
        run.reset();
        inputRef.current?.focus();
        return;
      }
      setInputError(undefined);
      setRunCount((count) => count + 1);
      const asked = request(parsed.value);
      setRan(asked);
      controller.current?.abort();
      const started = new AbortController();
      controller.current = started;
      setLive({ logs: [], startedAt: performance.now() });
      const onLog = (entry: LogEntry) => {
        if (!started.signal.aborted) setLive((current) => current && { ...current, logs: [...current.logs, entry] });
      };
      run.mutate(
        { request: asked, options: { signal: started.signal, onLog } },
        {
          onSuccess: (done) => {
            if (!done) return;
            setResult(done);
            setLive(undefined);
          },
          onSettled: () => {
            if (controller.current === started) controller.current = undefined;
          },
        },
      );
    },
    [inputText, run],
  );

  const clear = useCallback(() => {
    setResult(undefined);
    setLive(undefined);
    run.reset();
  }, [run]);

  return {
    start,
    clear,
    stop,
    running,
    live,
    result: run.isError ? undefined : result,
    error: run.isError ? run.error : undefined,
    runCount,
    ran,
    inputText,
    setInputText: (text: string) => {
      setInputText(text);
      if (inputError) setInputError(undefined);
    },
    inputError,
    inputRef,
  };
}

export type Runner = ReturnType<typeof useRunner>;
