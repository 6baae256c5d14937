import { parseMetricsQuery, readMetrics } from '@squirrelbin/metrics';
import { MetricsQuery, MetricsResponse } from '@squirrelbin/schemas';
import { requireAdmin } from '../middleware/auth.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

export const adminMetrics = defineRoute(
  {
    name: 'admin.metrics',
    method: 'get',
    path: '/api/admin/metrics',
    summary: 'Per-endpoint request metrics over time (admin keys only)',
    auth: 'admin',
    access: { identities: 'read', metrics: 'read' },
    query: MetricsQuery,
    responses: {
      200: { description: 'Series and totals per endpoint', schema: MetricsResponse },
      400: { description: 'Bad range or step' },
      401: { description: 'No key' },
      403: { description: 'Not an admin key' },
    },
  },
  async (c) => {
    requireAdmin(c);
    const now = Date.now();
    const query = parseMetricsQuery(c.req.query(), now);
    if (!query.ok) {
      throw new ApiProblem('validation-failed', query.errors.map((e) => `${e.path}: ${e.message}`).join('; '), {
        errors: query.errors,
      });
    }
    const { store, config, metrics } = c.var.deps;
    // This process's latest figures first, so the answer is up to date at least for the server being asked.
    await metrics.flush();
    const body = await readMetrics(store.connection, {
      ...query.value,
      now,
      retentionDays: config.metrics.retentionDays,
    });
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  },
);
