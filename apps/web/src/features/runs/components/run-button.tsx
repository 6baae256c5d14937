import { useRef } from 'react';

/**
 * The Run button every runnable view shows (editor, scratch, embed): one label, one shortcut, one test id. While a
 * run is in flight, Stop (also Esc) sits beside it.
 */
export function RunButton({ onRun, running, onStop }: { onRun: () => void; running: boolean; onStop?: () => void }) {
  const run = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={run}
        type="button"
        className="primary"
        onClick={onRun}
        disabled={running}
        data-testid="run"
        aria-keyshortcuts="Control+Enter Meta+Enter"
      >
        {running ? 'Running…' : 'Run'} <kbd>Ctrl+Enter</kbd>
      </button>
      {running && onStop ? (
        <button
          type="button"
          className="danger"
          onClick={() => {
            onStop();
            // Stop goes away with the run: keep focus on the toolbar, on Run again.
            requestAnimationFrame(() => run.current?.focus());
          }}
          data-testid="run-stop"
          aria-keyshortcuts="Escape"
        >
          Stop <kbd>Esc</kbd>
        </button>
      ) : null}
    </>
  );
}
