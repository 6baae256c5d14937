/** The run state of an editor: the input as typed, the latest result (kept while the next run is in flight). */
import type { RunResult } from '@squirrelbin/schemas';
import { useCallback, useRef, useState } from 'react';
import { parseRunInput } from '../components/run-input-field';
import { type RunRequest, useRun } from './use-run';

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
        run.reset();
        inputRef.current?.focus();
        return;
      }
      setInputError(undefined);
      setRunCount((count) => count + 1);
      const asked = request(parsed.value);
      setRan(asked);
      run.mutate(asked, { onSuccess: setResult });
    },
    [inputText, run],
  );

  const clear = useCallback(() => {
    setResult(undefined);
    run.reset();
  }, [run]);

  return {
    start,
    clear,
    running: run.isPending,
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
