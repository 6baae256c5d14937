import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../lib/api-client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="status-line" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

/** What went wrong, in words. `retryIn` is the seconds still to wait after a 429/503 (counts down in the UI). */
export function describeError(error: unknown, retryIn?: number): string {
  if (error instanceof ApiError) {
    const fields = error.errors.map((issue) => `${issue.path || 'body'}: ${issue.message}`).join('; ');
    const base = fields ? `${error.message} (${fields})` : error.message;
    if (error.status === 401 && error.message === 'Unknown key') {
      return 'This server does not know the key stored in this browser. Import another key or forget it in Settings.';
    }
    if (error.retryAfter) {
      const left = retryIn ?? error.retryAfter;
      return left > 0 ? `${base}. Try again in ${left} s.` : `${base}. You can try again now.`;
    }
    return base;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Seconds left of a Retry-After, ticking down to 0. */
function useCountdown(seconds: number | undefined): number | undefined {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    setLeft(seconds);
    if (!seconds) return;
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [seconds]);
  return left;
}

export function ErrorMessage({
  error,
  title = 'Something went wrong',
  onRetry,
  focus = false,
  testId = 'error-message',
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  /** Move focus here when shown: the error answers what the user just did. */
  focus?: boolean;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const apiError = error instanceof ApiError ? error : undefined;
  const left = useCountdown(apiError?.retryAfter);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new error replacing the old one takes focus again.
  useEffect(() => {
    if (focus) box.current?.focus();
  }, [focus, error]);
  return (
    <div ref={box} className="error-box" role="alert" data-testid={testId} tabIndex={focus ? -1 : undefined}>
      <strong>{title}</strong>
      <p>{describeError(error, left)}</p>
      {apiError?.requestId ? <p className="muted small">Request id: {apiError.requestId}</p> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry} disabled={!!left}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
