import { useState } from 'react';

/** Copies text to the clipboard and says so; falls back to selecting a prompt when the clipboard is refused. */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2_000);
  };
  return (
    <button type="button" onClick={copy} data-testid={testId}>
      {label}
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? ' (copied)' : state === 'failed' ? ' (copy failed)' : ''}
      </span>
      {state === 'copied' ? ' ✓' : state === 'failed' ? ' ✗' : ''}
    </button>
  );
}
