/** The Hono app: cross-cutting middleware once, then the routes it serves (all of them, or one per Lambda). */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Config } from './config.ts';
import type { AppEnv, Deps } from './deps.ts';
import { authenticate } from './middleware/auth.ts';
import { bodyLimit } from './middleware/body.ts';
import { requireOriginSecret } from './middleware/origin-secret.ts';
import { onError, onNotFound } from './middleware/problems.ts';
import { requestId } from './middleware/request-id.ts';
import { honoPath, type Route } from './route.ts';
import { routes as allRoutes } from './routes/index.ts';

/**
 * @param getDeps the process's dependencies; a Lambda passes a function that connects on first use.
 */
export function createApp(
  config: Config,
  getDeps: () => Deps | Promise<Deps>,
  routes: readonly Route[] = allRoutes,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(onNotFound);
  app.use('*', requestId);
  // Name each request's endpoint before any other middleware, so errors raised there (413, 401) count under it.
  for (const { spec } of routes) {
    app.on(spec.method.toUpperCase(), honoPath(spec.path), async (c, next) => {
      c.set('endpoint', spec.name);
      c.set('bodyLimit', spec.body?.maxBytes);
      await next();
    });
  }
  // Before anything else that costs: a request that did not come through the CDN touches nothing.
  if (config.originSecret) app.use('*', requireOriginSecret(config.originSecret));
  app.use(
    '/api/*',
    cors({
      origin: config.corsOrigin,
      allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id'],
      allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
      maxAge: 600,
    }),
  );
  app.use('/api/*', async (c, next) => {
    const deps = await getDeps();
    c.set('deps', deps);
    await deps.recordMetrics(c, next);
  });
  app.use('/api/*', bodyLimit(config.maxBodyBytes));
  app.use('/api/*', authenticate);
  for (const route of routes) app.route('/', route.app);
  return app;
}
