/**
 * The Hono app: cross-cutting middleware once, then the routes it serves (all of them on the local server, one per
 * Lambda). It imports no route module itself, so a Lambda's bundle carries its own route and nothing else.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Config } from './config.ts';
import type { AppEnv, Deps } from './deps.ts';
import { endpointSafetyHeaders } from './endpoint.ts';
import { authenticate } from './middleware/auth.ts';
import { bodyLimit } from './middleware/body.ts';
import { requireOriginSecret } from './middleware/origin-secret.ts';
import { onError, onNotFound } from './middleware/problems.ts';
import { requestId } from './middleware/request-id.ts';
import { ApiProblem } from './problem.ts';
import { onRoute, type Route, type RouteSpec } from './route.ts';

/** A route's method and path, e.g. `GET /api/acorns/{id}` (API Gateway's route key). */
export type RouteKey = `${Uppercase<RouteSpec['method']>} ${string}`;

/** Every route key of a route: its path, and its proxy path when it serves a subtree. */
export const routeKeysOf = (spec: Pick<RouteSpec, 'method' | 'path' | 'proxyPath'>): RouteKey[] => [
  routeKeyOf(spec),
  ...(spec.proxyPath ? [routeKeyOf({ method: spec.method, path: spec.proxyPath })] : []),
];

export const routeKeyOf = (spec: Pick<RouteSpec, 'method' | 'path'>): RouteKey =>
  `${spec.method.toUpperCase() as Uppercase<RouteSpec['method']>} ${spec.path}`;

/**
 * @param getDeps the process's dependencies; a Lambda passes a function that connects on first use.
 * @param routes the routes this app serves: the whole table (`routes/index.ts`) locally, one route on a Lambda.
 */
export function createApp(config: Config, getDeps: () => Deps | Promise<Deps>, routes: readonly Route[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  common(app);
  // Name each request's endpoint before any other middleware, so errors raised there (413, 401) count under it.
  for (const { spec } of routes) {
    onRoute(app, spec, async (c, next) => {
      c.set('endpoint', spec.name);
      c.set('bodyLimit', spec.body?.maxBytes ?? spec.rawBody?.maxBytes);
      c.set('bodyRaw', spec.rawBody !== undefined);
      await next();
    });
  }
  protect(app, config);
  // The API and the acorn endpoints (`/x/{id}`, served by the acorns' own code) share deps, metrics and body bounds.
  for (const prefix of servedPrefixes) {
    app.use(prefix, async (c, next) => {
      const deps = await getDeps();
      c.set('deps', deps);
      await deps.recordMetrics(c, next);
    });
    app.use(prefix, bodyLimit(config.maxBodyBytes));
  }
  // Per route: a route that never reads the identity (`auth: 'none'`) looks no key up, so its function needs (and
  // on AWS has) no read of the identities table.
  for (const { spec } of routes) onRoute(app, spec, authenticate(spec.auth));
  for (const route of routes) app.route('/', route.app);
  app.use('/api/*', methodNotAllowed(routes.flatMap(({ spec }) => (spec.method === 'any' ? [] : [routeKeyOf(spec)]))));
  return app;
}

const servedPrefixes = ['/api/*', '/x/*'] as const;

/**
 * What the `$default` Lambda serves on AWS: every request no route of the HTTP API matched gets the answer the local
 * server gives it — 405 with `Allow` for a path of the route table asked with another method, 404 otherwise, both
 * problem+json — with the same request id, origin check and CORS, and without touching the store.
 */
export function createFallbackApp(config: Config, routeKeys: readonly RouteKey[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  common(app);
  protect(app, config);
  for (const prefix of servedPrefixes) app.use(prefix, bodyLimit(config.maxBodyBytes));
  app.use('/api/*', methodNotAllowed(routeKeys));
  return app;
}

function common(app: Hono<AppEnv>): void {
  app.onError(onError);
  app.notFound(onNotFound);
  app.use('*', requestId);
  // Acorns write the bytes under /x: every answer there is sandboxed, whoever wrote it (DESIGN.md, "Endpoints").
  for (const path of ['/x', '/x/*']) {
    app.use(path, async (c, next) => {
      await next();
      endpointSafetyHeaders(c.res.headers);
    });
  }
  // API answers are per caller and per moment: no cache between the client and the API (CloudFront included, were a
  // cache policy to allow caching on /api/*) keeps one, unless the route said otherwise (`private, no-cache` + ETag).
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });
}

function protect(app: Hono<AppEnv>, config: Config): void {
  // Before anything else that costs: a request that did not come through the CDN touches nothing.
  if (config.originSecret) app.use('*', requireOriginSecret(config.originSecret));
  app.use(
    '/api/*',
    cors({
      origin: config.corsOrigin,
      allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id'],
      allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
      maxAge: 600,
    }),
  );
}

/**
 * Reached only when no route answered: a known path asked with a method it does not serve gets 405 and `Allow`
 * (HEAD is allowed wherever GET is, as Hono answers it from the GET route); anything else falls through to 404.
 */
function methodNotAllowed(routeKeys: readonly RouteKey[]): MiddlewareHandler<AppEnv> {
  const byPath = new Map<string, string[]>();
  for (const key of routeKeys) {
    const [method, path] = key.split(' ') as [string, string];
    byPath.set(path, [...(byPath.get(path) ?? []), method]);
  }
  const matchers = [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
    allow: [...new Set([...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])].join(', '),
  }));
  return async (c, next) => {
    const path = c.req.path;
    const known = matchers.find(({ pattern }) => pattern.test(path));
    if (!known) return next();
    throw new ApiProblem('method-not-allowed', `${c.req.method} is not served on ${path}; use ${known.allow}`, {
      headers: { Allow: known.allow },
    });
  };
}
