/**
 * Bearer key → identity. On every route that reads the identity (`auth` other than `none`) a malformed or unknown
 * key is refused rather than ignored. A route with `auth: 'none'` never reads it, so no key is looked up there: its
 * function has no read of the identities table on AWS (infra grants only what `spec.access` declares), and a lookup
 * would be refused.
 */
import { IdentityKey } from '@squirrelbin/schemas';
import type { Identity } from '@squirrelbin/store';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import type { RouteSpec } from '../route.ts';

/** The authentication middleware for a route of this kind. */
export function authenticate(auth: RouteSpec['auth']): MiddlewareHandler<AppEnv> {
  return auth === 'none' ? anonymous : identify;
}

const anonymous = createMiddleware<AppEnv>(async (c, next) => {
  c.set('identity', undefined);
  return next();
});

const identify = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  if (header === undefined) {
    c.set('identity', undefined);
    return next();
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match || !IdentityKey.safeParse(match[1]).success) {
    throw new ApiProblem('unauthenticated', 'The Authorization header must be `Bearer sqb_…`', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  const identity = await c.var.deps.identityCache.find(match[1]!);
  if (!identity) {
    throw new ApiProblem('unauthenticated', 'Unknown key', { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
  c.set('identity', identity);
  return next();
});

export function requireIdentity(c: Context<AppEnv>): Identity {
  const identity = c.get('identity');
  if (!identity) {
    throw new ApiProblem('unauthenticated', 'This endpoint needs `Authorization: Bearer <key>`', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  return identity;
}

export function requireAdmin(c: Context<AppEnv>): Identity {
  const identity = requireIdentity(c);
  if (!identity.admin) throw new ApiProblem('forbidden', 'This endpoint needs an admin key');
  return identity;
}
