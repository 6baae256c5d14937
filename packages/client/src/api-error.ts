/** Problem details (RFC 9457) as a typed error: what any non-2xx answer of the API becomes. */
import type { FieldIssue, Problem, ProblemType, RunStatus } from '@squirrelbin/schemas';

/** The problem type's URN prefix: `urn:squirrelbin:problem:version-mismatch` → `version-mismatch`. */
export const problemPrefix = 'urn:squirrelbin:problem:';

/**
 * A problem type without its prefix; besides the server's own: `network` (no answer came), `stream-ended` (an event
 * stream closed before its last event) and `http-<status>` (an answer that was not problem+json).
 */
export type ApiErrorType = ProblemType | 'network' | 'stream-ended' | (string & {});

export interface ApiErrorDetails {
  detail?: string;
  title?: string;
  errors?: FieldIssue[];
  currentVersion?: number;
  requestId?: string;
  retryAfter?: number;
  runStatus?: RunStatus;
  /** The problem document as the server sent it. */
  problem?: Partial<Problem>;
  cause?: unknown;
}

export class ApiError extends Error {
  /** The HTTP status; 0 when no answer came. */
  readonly status: number;
  readonly type: ApiErrorType;
  /** What went wrong, for people: the problem's `detail` (else its `title`). */
  readonly detail: string;
  readonly title: string | undefined;
  /** For validation problems: each bad field. */
  readonly errors: FieldIssue[];
  /** For 412 `version-mismatch`: the version the server holds. */
  readonly currentVersion: number | undefined;
  readonly requestId: string | undefined;
  /** Seconds, from `Retry-After` (429, 503). */
  readonly retryAfter: number | undefined;
  /** For an endpoint's 502/504: how its run ended. */
  readonly runStatus: RunStatus | undefined;
  readonly problem: Partial<Problem> | undefined;

  constructor(status: number, type: ApiErrorType, message: string, details: ApiErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.detail = details.detail ?? message;
    this.title = details.title;
    this.errors = details.errors ?? [];
    this.currentVersion = details.currentVersion;
    this.requestId = details.requestId;
    this.retryAfter = details.retryAfter;
    this.runStatus = details.runStatus;
    this.problem = details.problem;
  }
}

/** True for an ApiError, and for one with this status when a status is given. */
export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** Reads a non-2xx answer into an ApiError (its body is consumed). */
export async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('Retry-After')) || undefined;
  const requestId = response.headers.get('X-Request-Id') ?? undefined;
  let problem: Partial<Problem> | undefined;
  try {
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    problem = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Partial<Problem>) : undefined;
  } catch {
    problem = undefined;
  }
  const rawType = typeof problem?.type === 'string' ? problem.type : undefined;
  const type = rawType?.startsWith(problemPrefix)
    ? rawType.slice(problemPrefix.length)
    : (rawType ?? `http-${response.status}`);
  const detail = problem?.detail ?? problem?.title ?? `The server answered ${response.status}`;
  return new ApiError(response.status, type, detail, {
    detail,
    title: problem?.title,
    errors: problem?.errors,
    currentVersion: problem?.currentVersion,
    requestId: problem?.requestId ?? requestId,
    retryAfter,
    runStatus: problem?.runStatus,
    problem,
  });
}
