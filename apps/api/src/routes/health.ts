import { Health } from '@squirrelbin/schemas';
import { storeRetryAfterSeconds } from '@squirrelbin/store';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

const storeTimeoutMs = 1_000;

export const health = defineRoute(
  {
    name: 'health',
    method: 'get',
    path: '/api/health',
    summary: 'Liveness and store check',
    auth: 'none',
    access: { acorns: 'read' },
    responses: { 200: { description: 'Up', schema: Health }, 503: { description: 'The store is down' } },
  },
  async (c) => {
    const ping = c.var.deps.store.connection.ping();
    const timeout = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new Error('store check timed out')), storeTimeoutMs);
      ping.finally(() => clearTimeout(timer)).catch(() => {});
    });
    try {
      await Promise.race([ping, timeout]);
    } catch (error) {
      throw new ApiProblem('store-unavailable', `The store did not answer: ${(error as Error).message}`, {
        headers: { 'Retry-After': String(storeRetryAfterSeconds) },
      });
    }
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' as const });
  },
);
