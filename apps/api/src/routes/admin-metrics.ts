import { MetricsQuery, MetricsResponse } from '@squirrelbin/schemas';
import { acornEndpointName } from '../endpoint.ts';
import { requireAdmin } from '../middleware/auth.ts';
import { readMetricsFor } from '../read-metrics.ts';
import { defineRoute } from '../route.ts';

/** Each endpoint acorn's own series (`acorn:{id}`) is its owner's view; the admin sees their sum as `endpoints.call`. */
const isRoute = (endpoint: string) => !endpoint.startsWith(acornEndpointName(''));

export const adminMetrics = defineRoute(
  {
    name: 'admin.metrics',
    method: 'get',
    path: '/api/admin/metrics',
    summary: 'Per-endpoint request metrics over time (admin keys only)',
    auth: 'admin',
    // Reads the metrics: the table on a server, CloudWatch on AWS (the stack grants that from this).
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
    const { body } = await readMetricsFor(c, isRoute);
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  },
);
