/** The Run button every runnable view shows (editor, scratch, embed): one label, one shortcut, one test id. */
export function RunButton({ onRun, running }: { onRun: () => void; running: boolean }) {
  return (
    <button
      type="button"
      className="primary"
      onClick={onRun}
      disabled={running}
      data-testid="run"
      aria-keyshortcuts="Control+Enter Meta+Enter"
    >
      {running ? 'Running…' : 'Run'} <kbd>Ctrl+Enter</kbd>
    </button>
  );
}
