/**
 * Only requests that came through the CDN: it adds this header with a secret value (on AWS, a CloudFront origin
 * header whose value Secrets Manager generated at deploy), and the API refuses requests without it. The API
 * Gateway URL is public, so without this anyone could call the functions directly and set CLIENT_IP_HEADER.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../deps.ts';
import { ApiProblem } from '../problem.ts';

/** The same name as `originSecretHeader` in infra/src/web.ts, which sets it. */
export const originSecretHeader = 'x-squirrelbin-origin-secret';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function requireOriginSecret(secret: string) {
  const expected = digest(secret);
  return createMiddleware<AppEnv>(async (c, next) => {
    // Compared as digests: equal lengths for timingSafeEqual, and no timing hint of the secret's length.
    const sent = c.req.header(originSecretHeader);
    if (sent === undefined || !timingSafeEqual(digest(sent), expected)) {
      throw new ApiProblem('forbidden', 'Call the API through the site, not its origin');
    }
    await next();
  });
}
