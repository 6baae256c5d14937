/** The API client's transport: one request at a time, problems as ApiError. Needs only `fetch`. */
import { ApiError, toApiError } from './api-error.ts';

/** The key to send: a fixed one, none, or a getter asked on every request (the SPA's stored identity). */
export type KeySource = string | null | undefined | (() => string | null | undefined);

export interface ClientOptions {
  /** The server's origin, e.g. `http://localhost:8787`; `''` (the default) for the page's own origin in a browser. */
  baseUrl?: string;
  key?: KeySource;
  /** The fetch to use; by default the global one, looked up on every call. */
  fetch?: typeof fetch;
  /** Sent with every request (e.g. a `User-Agent`). */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Use this key instead of the client's (`null`: send none). */
  key?: string | null;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
}

/** The version an ETag names (`"3"` → 3). */
export function versionFromEtag(etag: string | null | undefined): number | undefined {
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

/**
 * Sends requests to the API: the base URL, the key as Bearer, JSON bodies, problem+json answers thrown as ApiError.
 * The SPA uses it as it is (class methods cannot be tree-shaken, and its first load has a budget); SquirrelBinClient
 * adds a method per route.
 */
export class ApiTransport {
  readonly baseUrl: string;
  readonly #key: KeySource;
  readonly #fetch: typeof fetch | undefined;
  readonly #headers: Record<string, string>;

  constructor(options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.#key = options.key;
    this.#fetch = options.fetch;
    this.#headers = options.headers ?? {};
  }

  /** The key requests carry unless told otherwise. */
  key(): string | undefined {
    const key = typeof this.#key === 'function' ? this.#key() : this.#key;
    return key || undefined;
  }

  /** Sends a request: a non-2xx answer (but 304) is thrown as an ApiError, any other returned unread. */
  async send(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers = new Headers(this.#headers);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
    const key = options.key === undefined ? this.key() : options.key;
    if (key) headers.set('Authorization', `Bearer ${key}`);
    let body: string | undefined;
    if (options.body !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(options.body);
    }
    const response = await this.call(this.baseUrl + path, {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
    });
    if (!response.ok && response.status !== 304) throw await toApiError(response);
    return response;
  }

  /** Sends a request and returns the parsed body (undefined for 204 and 304) with the status and headers. */
  async request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const response = await this.send(path, options);
    const { status, headers } = response;
    if (status === 204 || status === 304) return { data: undefined as T, status, headers };
    const text = await response.text();
    return { data: (text ? JSON.parse(text) : undefined) as T, status, headers };
  }

  /** fetch, with no answer at all turned into ApiError `network` (an abort is passed on as it is). */
  protected async call(url: string, init: RequestInit): Promise<Response> {
    // Called unbound: a browser's fetch refuses any other `this` than the window.
    const fetcher = this.#fetch ?? globalThis.fetch;
    try {
      return await fetcher(url, init);
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === 'AbortError' || name === 'TimeoutError') throw error;
      throw new ApiError(0, 'network', 'Could not reach the server. Check your connection and try again.', {
        cause: error,
      });
    }
  }
}
