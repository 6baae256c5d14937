/** Every error leaves as application/problem+json (RFC 9457) with the request id; unknown errors are 500s, logged. */
import { type ProblemType, problemTypes, problemTypeUri } from '@squirrelbin/schemas';
import { isStoreUnavailable, storeRetryAfterSeconds } from '@squirrelbin/store';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../deps.ts';
import { ApiProblem } from '../problem.ts';

export function problemResponse(c: Context<AppEnv>, problem: ApiProblem): Response {
  const body = {
    type: problemTypeUri(problem.type),
    title: problemTypes[problem.type].title,
    status: problem.status,
    detail: problem.message,
    instance: c.req.path,
    requestId: c.get('requestId') ?? '',
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...problem.extra,
  };
  const headers = new Headers(problem.headers);
  headers.set('Content-Type', 'application/problem+json');
  const requestId = c.get('requestId');
  if (requestId) headers.set('X-Request-Id', requestId);
  // Keep headers set earlier (CORS, request id) on the error response.
  for (const [name, value] of c.res.headers) if (!headers.has(name)) headers.set(name, value);
  return new Response(JSON.stringify(body), { status: problem.status, headers });
}

export function onError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof ApiProblem) return problemResponse(c, error);
  if (error instanceof HTTPException) {
    const type: ProblemType =
      error.status === 413 ? 'body-too-large' : error.status === 400 ? 'malformed-json' : 'internal';
    return problemResponse(c, new ApiProblem(type, error.message || undefined));
  }
  // The store is down, full or throttling: a 503 for this request only, never a crash.
  if (isStoreUnavailable(error)) {
    const headers = { 'Retry-After': String(storeRetryAfterSeconds) };
    return problemResponse(c, new ApiProblem('store-unavailable', undefined, { headers }));
  }
  console.error(
    JSON.stringify({ level: 'error', requestId: c.get('requestId'), message: String(error?.stack ?? error) }),
  );
  return problemResponse(c, new ApiProblem('internal'));
}

export function onNotFound(c: Context<AppEnv>): Response {
  return problemResponse(c, new ApiProblem('route-not-found', `No endpoint ${c.req.method} ${c.req.path}`));
}
