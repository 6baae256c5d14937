/**
 * The SPA's API client: @squirrelbin/client's transport on the page's own origin, with the key this browser stores as
 * Bearer. `api`, `apiRequest` and `apiFetch` keep the SPA's call sites as they were; ApiError is the client package's.
 * (The transport rather than the whole SquirrelBinClient: its per-route methods cannot be tree-shaken, and they would
 * add ~1.7 kB gzip to a first load that has a budget.)
 */
import { type ApiResponse, ApiTransport } from '@squirrelbin/client';
import { getIdentity } from './identity-store';

export { ApiError, type ApiResponse, isApiError, queryString, versionFromEtag } from '@squirrelbin/client';

/** The client every feature's API file goes through; the key is read from storage on each request. */
export const apiClient = new ApiTransport({ baseUrl: '', key: () => getIdentity()?.key });

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  /** Use this key instead of the stored one (e.g. to check a key before importing it). */
  key?: string | null;
  signal?: AbortSignal;
}

/** Sends a request to the API: a non-2xx answer is thrown as an ApiError, a 2xx one returned unread. */
export function apiFetch(path: string, options: RequestOptions = {}): Promise<Response> {
  return apiClient.send(path, options);
}

/** Sends a request to the API and returns the parsed body with the response headers. */
export function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  return apiClient.request<T>(path, options);
}

/** Like apiRequest, for callers that only need the body. */
export async function api<T>(path: string, options?: RequestOptions): Promise<T> {
  return (await apiRequest<T>(path, options)).data;
}
