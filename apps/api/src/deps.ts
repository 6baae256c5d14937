/** What route handlers need, built once per process (server or Lambda) and put on the Hono context. */
import type { Store } from '@squirrelbin/store';
import type { Context } from 'hono';
import { type AcornCache, createAcornCache } from './acorn-cache.ts';
import type { Config } from './config.ts';
import { createIdentityCache, type IdentityCache } from './identity-cache.ts';
import { createRateLimiter, type RateLimiter } from './token-bucket.ts';

export interface Deps {
  config: Config;
  store: Store;
  acornCache: AcornCache;
  identityCache: IdentityCache;
  identityLimiter: RateLimiter;
  /** The caller's address, as the hosting platform reports it. */
  clientAddress(c: Context<AppEnv>): string;
}

export interface AppEnv {
  Variables: {
    deps: Deps;
    requestId: string;
    /** The identity behind the Bearer key, when one was sent. */
    identity: import('@squirrelbin/store').Identity | undefined;
    /** The route's endpoint name for metrics, e.g. `acorns.get`. */
    endpoint: string;
  };
}

export function createDeps(config: Config, store: Store, clientAddress: Deps['clientAddress']): Deps {
  return {
    config,
    store,
    acornCache: createAcornCache(config.acornCacheTtlMs ?? (store.connection.mode === 'embedded' ? 2_000 : 0)),
    identityCache: createIdentityCache(store.identities),
    identityLimiter: createRateLimiter(config.identityRateLimit),
    clientAddress,
  };
}
