import { ApiError } from '../lib/api-client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="status-line" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

/** What went wrong, in words, with the request id so a report can be traced. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors.map((issue) => `${issue.path || 'body'}: ${issue.message}`).join('; ');
    const base = fields ? `${error.message} (${fields})` : error.message;
    if (error.status === 401 && error.message === 'Unknown key') {
      return 'This server does not know the key stored in this browser. Import another key or forget it in Settings.';
    }
    if (error.retryAfter) return `${base}. Try again in ${error.retryAfter} s.`;
    return base;
  }
  return error instanceof Error ? error.message : String(error);
}

export function ErrorMessage({
  error,
  title = 'Something went wrong',
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="error-box" role="alert" data-testid="error-message">
      <strong>{title}</strong>
      <p>{describeError(error)}</p>
      {requestId ? <p className="muted small">Request id: {requestId}</p> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
