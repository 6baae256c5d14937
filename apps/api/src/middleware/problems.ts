/** Every error leaves as application/problem+json (RFC 9457) with the request id; unknown errors are 500s, logged. */
import { type ProblemType, problemTypes, problemTypeUri } from '@squirrelbin/schemas';
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
  if (isStoreOutage(error)) return problemResponse(c, new ApiProblem('store-unavailable'));
  console.error(
    JSON.stringify({ level: 'error', requestId: c.get('requestId'), message: String(error?.stack ?? error) }),
  );
  return problemResponse(c, new ApiProblem('internal'));
}

/** Connection failures to the store are an outage (503), not a bug (500). */
function isStoreOutage(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code ?? '') ||
    error.name === 'TimeoutError' ||
    error.name === 'ProvisionedThroughputExceededException' ||
    error.name === 'ThrottlingException'
  );
}

export function onNotFound(c: Context<AppEnv>): Response {
  return problemResponse(c, new ApiProblem('route-not-found', `No endpoint ${c.req.method} ${c.req.path}`));
}
