/** A small fetch wrapper: JSON in and out, the stored key as Bearer, problem+json turned into a typed ApiError. */
import type { FieldIssue, Problem } from '@squirrelbin/schemas';
import { getIdentity } from './identity-store';

export class ApiError extends Error {
  readonly status: number;
  /** The problem type without its URN prefix, e.g. `version-mismatch`; `network` when no response came. */
  readonly type: string;
  readonly errors: FieldIssue[];
  readonly currentVersion: number | undefined;
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    type: string,
    message: string,
    extra: { errors?: FieldIssue[]; currentVersion?: number; requestId?: string; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.errors = extra.errors ?? [];
    this.currentVersion = extra.currentVersion;
    this.requestId = extra.requestId;
    this.retryAfter = extra.retryAfter;
  }
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  /** Use this key instead of the stored one (e.g. to check a key before importing it). */
  key?: string | null;
  signal?: AbortSignal;
}

const problemPrefix = 'urn:squirrelbin:problem:';

/** Sends a request to the API: a non-2xx answer is thrown as an ApiError, a 2xx one returned unread. */
export async function apiFetch(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
  const key = options.key === undefined ? getIdentity()?.key : options.key;
  if (key) headers.set('Authorization', `Bearer ${key}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method: options.method ?? 'GET', headers, body, signal: options.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Could not reach the server. Check your connection and try again.');
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

/** Sends a request to the API and returns the parsed body with the response headers. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const response = await apiFetch(path, options);
  if (response.status === 204) return { data: undefined as T, headers: response.headers };
  return { data: (await response.json()) as T, headers: response.headers };
}

/** Like apiRequest, for callers that only need the body. */
export async function api<T>(path: string, options?: RequestOptions): Promise<T> {
  return (await apiRequest<T>(path, options)).data;
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('Retry-After')) || undefined;
  const requestId = response.headers.get('X-Request-Id') ?? undefined;
  let problem: Partial<Problem> | undefined;
  try {
    const text = await response.text();
    problem = text ? (JSON.parse(text) as Partial<Problem>) : undefined;
  } catch {
    problem = undefined;
  }
  const type = problem?.type?.startsWith(problemPrefix)
    ? problem.type.slice(problemPrefix.length)
    : (problem?.type ?? `http-${response.status}`);
  const message = problem?.detail ?? problem?.title ?? `The server answered ${response.status}`;
  return new ApiError(response.status, type, message, {
    errors: problem?.errors,
    currentVersion: problem?.currentVersion,
    requestId: problem?.requestId ?? requestId,
    retryAfter,
  });
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** The version an ETag names (`"3"` → 3). */
export function versionFromEtag(etag: string | null): number | undefined {
  const match = etag ? /^(?:W\/)?"?(\d+)"?$/.exec(etag.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

/** A query string from the defined entries of an object. */
export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
