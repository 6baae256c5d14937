/**
 * The typed SquirrelBin API client, shared by the SPA and the CLI: every route, problem+json as ApiError, ETag and
 * If-Match, server-sent events for streamed runs and job progress. Runs wherever `fetch` does.
 *
 * @example
 * const client = createClient({ baseUrl: 'http://localhost:8787', key: 'sqb_…' });
 * const acorn = await client.createAcorn({ title: 'Sum', language: 'javascript', code: '1 + 2', visibility: 'public' });
 * const result = await client.runAcorn(acorn.id, {}, { onLog: (entry) => console.log(entry.message) });
 * @module
 */
export {
  ApiError,
  type ApiErrorDetails,
  type ApiErrorType,
  isApiError,
  problemPrefix,
  toApiError,
} from './api-error.ts';
export {
  createClient,
  type EndpointRequest,
  type ListAcornsOptions,
  type MetricsOptions,
  type PageQuery,
  type RunOptions,
  SquirrelBinClient,
  type WatchJobOptions,
} from './client.ts';
export { isEventStream, readEventStream } from './event-stream-reader.ts';
export { eventStreamParser, type ServerSentEvent } from './server-sent-events.ts';
export {
  type ApiResponse,
  ApiTransport,
  type ClientOptions,
  type KeySource,
  queryString,
  type RequestOptions,
  versionFromEtag,
} from './transport.ts';
