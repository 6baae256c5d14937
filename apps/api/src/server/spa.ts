/** Serves the built SPA: its files, and index.html for any other non-API path so deep links work on reload. */
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';

const isApi = (path: string) => path === '/api' || path.startsWith('/api/');

export function serveSpa(app: Hono<AppEnv>, root: string): void {
  const files = serveStatic<AppEnv>({
    root,
    // Vite puts content-hashed files under /assets: they never change.
    onFound: (path, c) => {
      c.header('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const index = serveStatic<AppEnv>({
    root,
    path: 'index.html',
    onFound: (_p, c) => c.header('Cache-Control', 'no-cache'),
  });
  app.on(['GET', 'HEAD'], '*', (c, next) => (isApi(c.req.path) ? next() : files(c, next)));
  app.on(['GET', 'HEAD'], '*', (c, next) => (isApi(c.req.path) ? next() : index(c, next)));
}
