import { useEffect, useRef, useState } from 'react';

/** Copies text to the clipboard and says so. */
export function CopyButton({
  text,
  label,
  testId,
  onCopied,
}: {
  text: string | (() => string);
  label: string;
  testId?: string;
  onCopied?: () => void;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(typeof text === 'function' ? text() : text);
      setState('copied');
      onCopied?.();
    } catch {
      setState('failed');
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2_000);
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
