/**
 * Acorn endpoints (`/x/{id}`): the HTTP request as the sandbox gets it, the run's answer as HTTP, and the owner's
 * invocation record. The run behind a call is an ordinary run in the owner's isolate pool (DESIGN.md, "Endpoints").
 */
import type { RunRequest } from '@squirrelbin/sandbox';
import type { Acorn, RunResult } from '@squirrelbin/schemas';
import type { Context } from 'hono';
import { resolveAcornImports } from './acorn-imports.ts';
import type { AppEnv } from './deps.ts';
import { problemResponse } from './middleware/problems.ts';
import { ApiProblem } from './problem.ts';
import { refusedOrLeft } from './run-acorn.ts';

export type EndpointRequest = NonNullable<RunRequest['request']>;

/** The metrics series of one endpoint acorn. */
export const acornEndpointName = (id: string) => `acorn:${id}`;

/**
 * Acorns write these bytes, so the page they serve is sandboxed: scripts run, but in an opaque origin that cannot
 * read the SPA's storage (its keys) or cookies. Never `allow-same-origin`.
 */
export const endpointCsp = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';

/** Headers an acorn may not set: cookies (they would be the SPA origin's) and hop-by-hop ones (RFC 9110 7.6.1). */
const droppedResponseHeaders = new Set([
  'set-cookie',
  'set-cookie2',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // The server measures the body it sends; ours are set below.
  'content-length',
  'content-security-policy',
  'x-content-type-options',
  // An acorn's page must not wipe what the SPA stores (its keys) nor switch HSTS off for the whole site.
  'clear-site-data',
  'strict-transport-security',
  'x-run-status',
  'x-run-wall-ms',
]);

/** Request headers the acorn does not see: hop-by-hop ones, and what only our CDN sends. */
const droppedRequestHeaders = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'x-squirrelbin-origin-secret',
]);

/** What the acorn sees: the method, the URL the client used, its headers and body (already bounded by bodyLimit). */
export async function readEndpointRequest(c: Context<AppEnv>): Promise<EndpointRequest> {
  const { config } = c.var.deps;
  const url = new URL(c.req.url);
  const host = config.forwardedHostHeader && c.req.header(config.forwardedHostHeader)?.split(',')[0]?.trim();
  const proto = config.forwardedProtoHeader && c.req.header(config.forwardedProtoHeader)?.split(',')[0]?.trim();
  if (host) url.host = host;
  if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`;
  const connectionTokens = new Set(
    (c.req.header('connection') ?? '').split(',').map((token) => token.trim().toLowerCase()),
  );
  const headers: [string, string][] = [];
  c.req.raw.headers.forEach((value, name) => {
    if (droppedRequestHeaders.has(name) || connectionTokens.has(name)) return;
    if (name === config.forwardedHostHeader || name === config.forwardedProtoHeader) return;
    headers.push([name, value]);
  });
  const method = c.req.method;
  let bodyBase64: string | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const bytes = Buffer.from(await c.req.arrayBuffer());
    if (bytes.length > 0) bodyBase64 = bytes.toString('base64');
  }
  return { method, url: url.href, headers, ...(bodyBase64 === undefined ? {} : { bodyBase64 }) };
}

/** Runs the acorn on the request and answers with its Response, or the problem its run ended in. */
export async function answerEndpointCall(c: Context<AppEnv>, acorn: Acorn, request: EndpointRequest) {
  const { deps } = c.var;
  // The owner wrote the imports: they are read with the owner's access, whoever calls.
  const acorns = await resolveAcornImports(acorn.code, { id: acorn.ownerId }, deps.store, deps.acornCache);
  const result = await deps.runner.run(
    {
      owner: `id:${acorn.ownerId}`,
      language: acorn.language,
      code: acorn.code,
      request,
      ...(acorns ? { acorns } : {}),
    },
    // A caller that leaves ends the run at once: its slot is the owner's.
    { signal: c.req.raw.signal },
  );
  if (!('status' in result)) {
    return refusedOrLeft(c, result, {
      runs: "This endpoint's recent runs",
      sandboxes: "Every sandbox of this acorn's owner",
    });
  }
  c.set('runOutcome', result.status);
  const response = result.response && result.status === 'ok' ? toHttpResponse(result) : failureResponse(c, result);
  if (deps.config.invocationLog) recordInvocation(c, acorn, request, result, response.status);
  return response;
}

function toHttpResponse(result: RunResult & { response?: unknown }): Response {
  const answer = result.response as NonNullable<RunResult['response']>;
  const headers = new Headers();
  const connectionTokens = new Set<string>();
  for (const [name, value] of answer.headers) {
    if (name.toLowerCase() === 'connection')
      for (const t of value.split(',')) connectionTokens.add(t.trim().toLowerCase());
  }
  for (const [name, value] of answer.headers) {
    const lower = name.toLowerCase();
    if (droppedResponseHeaders.has(lower) || connectionTokens.has(lower)) continue;
    try {
      headers.append(lower, value);
    } catch {
      // A value Node refuses to send (e.g. a newline): dropped rather than failing the whole answer.
    }
  }
  addRunHeaders(headers, result);
  const bodyless = answer.status === 204 || answer.status === 304;
  // Bytes of no stated type are sent as what they are: octet-stream (so no layer, API Gateway included, decodes
  // them as text).
  if (!bodyless && answer.bodyBytes > 0 && !headers.has('content-type')) {
    headers.set('content-type', 'application/octet-stream');
  }
  const body = bodyless ? null : Buffer.from(answer.bodyBase64, 'base64');
  return new Response(body, { status: answer.status, headers });
}

/** On every `/x` answer, the acorn's and ours (404, 413, 429, …) alike. */
export function endpointSafetyHeaders(headers: Headers): void {
  headers.set('content-security-policy', endpointCsp);
  headers.set('x-content-type-options', 'nosniff');
}

function addRunHeaders(headers: Headers, result: RunResult): void {
  endpointSafetyHeaders(headers);
  headers.set('x-run-status', result.status);
  headers.set('x-run-wall-ms', String(Math.round(result.wallMs)));
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
}

/** A run that did not answer: 504 at its deadline, 502 otherwise, naming the run status. */
function failureResponse(c: Context<AppEnv>, result: RunResult): Response {
  const timedOut = result.status === 'timeout';
  const where = result.error?.line
    ? ` (line ${result.error.line}${result.error.column ? `:${result.error.column}` : ''})`
    : '';
  const detail = result.error
    ? `The acorn's run ended ${result.status}: ${result.error.name}: ${result.error.message}${where}`
    : `The acorn's run ended ${result.status}`;
  const problem = new ApiProblem(timedOut ? 'endpoint-timeout' : 'endpoint-failed', detail, {
    extra: { runStatus: result.status },
  });
  const response = problemResponse(c, problem);
  addRunHeaders(response.headers, result);
  return response;
}

function recordInvocation(
  c: Context<AppEnv>,
  acorn: Acorn,
  request: EndpointRequest,
  result: RunResult,
  status: number,
): void {
  const url = new URL(request.url);
  const prefix = `/x/${acorn.id}`;
  const below = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
  c.var.deps.invocationLog.record({
    acornId: acorn.id,
    acornVersion: acorn.version,
    method: request.method,
    path: below || '/',
    query: url.search.slice(1),
    status,
    runStatus: result.status,
    wallMs: result.wallMs,
    cpuMs: result.cpuMs,
    logs: result.logs,
    logsTruncated: result.truncated.logs,
    ...(result.error ? { error: result.error } : {}),
  });
}
