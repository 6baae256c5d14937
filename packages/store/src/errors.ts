/** Which store errors are the store's trouble rather than the request's: an outage, a throttle, a failed write. */

/** Node's codes for a store that cannot be reached (a Unix socket that is gone is ENOENT). */
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOENT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const throttleNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** How long a client is told to wait (Retry-After) before trying again after a store outage. */
export const storeRetryAfterSeconds = 5;

/**
 * True when `error`, thrown by a store call, means the store cannot serve that request now: unreachable, timed
 * out, throttled, or failing on its side (a 5xx, e.g. the embedded store's `InternalServerError` when its disk is
 * full). Such a request may succeed later (HTTP 503 with Retry-After); anything else is the request's own error
 * (conditional check failed, validation) or a bug.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    name?: unknown;
    code?: unknown;
    cause?: { code?: unknown };
    $fault?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const code = e.code ?? e.cause?.code;
  if (typeof code === 'string' && connectionCodes.has(code)) return true;
  if (e.name === 'TimeoutError' || (typeof e.name === 'string' && throttleNames.has(e.name))) return true;
  const status = e.$metadata?.httpStatusCode;
  return e.$fault === 'server' || (typeof status === 'number' && status >= 500);
}
