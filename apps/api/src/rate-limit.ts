/**
 * Rate limits per key (identity, run owner, client address). In memory they are token buckets, exact for one
 * process; everywhere else they are fixed-window counters in the store, which every process (every warm Lambda
 * environment) shares, so N processes do not allow N times the limit.
 */
import type { LimitStore, Store } from '@squirrelbin/store';
import type { Config } from './config.ts';
import { ApiProblem } from './problem.ts';
import { createRateLimiter } from './token-bucket.ts';

export interface RateLimiter {
  /** Takes one token; 0 when allowed, else the seconds to wait. */
  take(key: string, now?: number): number | Promise<number>;
}

const WINDOW_MS = 60_000;

/**
 * `perMinute` uses of a key per clock minute, counted in the store's limits table under `name`. A fixed window
 * lets a caller use up to twice the limit across a window boundary; the limits are there to stop floods, and the
 * counter is one conditional write per request.
 */
export function createStoreRateLimiter(
  limits: LimitStore,
  name: string,
  perMinute: number,
  maxKeys = 10_000,
): RateLimiter {
  // Keys known spent until their window ends: refused here without a store write, so a caller hammering one key
  // costs nothing more and never makes its counter item hot.
  const spent = new Map<string, number>();
  return {
    async take(key, now = Date.now()) {
      if (perMinute === 0) return 0;
      const until = spent.get(key);
      if (until !== undefined && until > now) return Math.ceil((until - now) / 1000);
      spent.delete(key);
      const waitMs = await limits.take(`${name}:${key}`, perMinute, WINDOW_MS, now);
      if (waitMs === 0) return 0;
      if (spent.size >= maxKeys) spent.delete(spent.keys().next().value!);
      spent.set(key, now + waitMs);
      return Math.max(1, Math.ceil(waitMs / 1000));
    },
  };
}

/**
 * A limiter of `perMinute` per key, where `config.rateLimits` says (by default in memory only when this process
 * serves the embedded store itself: it is then the one server, the bucket is exact and costs no store write, and
 * dynalite, which has no TTL, keeps no counters). `name` keeps the store counters of different limits apart.
 */
export function createLimiter(config: Config, store: Store, name: string, perMinute: number): RateLimiter {
  const inStore = (config.rateLimits ?? (store.connection.mode === 'embedded' ? 'memory' : 'store')) === 'store';
  return inStore ? createStoreRateLimiter(store.limits, name, perMinute) : createRateLimiter(perMinute);
}

/** Takes a token from each limiter in turn; the first that has none ends the request with 429 and `Retry-After`. */
export async function takeOrRefuse(detail: string, ...buckets: [RateLimiter, string][]): Promise<void> {
  for (const [limiter, key] of buckets) {
    const wait = await limiter.take(key);
    if (wait > 0) throw new ApiProblem('rate-limited', detail, { headers: { 'Retry-After': String(wait) } });
  }
}
