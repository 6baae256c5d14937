/** Per-key token buckets (per client IP, per run owner): a burst of `perMinute`, refilled continuously. */
import { ApiProblem } from './problem.ts';
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  take(key: string, now?: number): number;
}

export function createRateLimiter(perMinute: number, maxKeys = 100_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  return {
    take(key, now = Date.now()) {
      if (perMinute === 0) return 0;
      const bucket = buckets.get(key) ?? { tokens: perMinute, at: now };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * perMs);
      bucket.at = now;
      buckets.delete(key); // re-insert: Map order doubles as least-recently-used order
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / perMs / 1000);
    },
  };
}

/** Takes a token from each limiter in turn; the first that has none ends the request with 429 and `Retry-After`. */
export function takeOrRefuse(detail: string, ...buckets: [RateLimiter, string][]): void {
  for (const [limiter, key] of buckets) {
    const wait = limiter.take(key);
    if (wait > 0) throw new ApiProblem('rate-limited', detail, { headers: { 'Retry-After': String(wait) } });
  }
}
