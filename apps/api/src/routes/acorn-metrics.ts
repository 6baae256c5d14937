import { emptySeries } from '@squirrelbin/metrics';
import { MetricsQuery, MetricsResponse } from '@squirrelbin/schemas';
import { loadOwnAcorn } from '../acorn-access.ts';
import { acornEndpointName } from '../endpoint.ts';
import { readMetricsFor } from '../read-metrics.ts';
import { defineRoute } from '../route.ts';

export const acornMetrics = defineRoute(
  {
    name: 'acorns.metrics',
    method: 'get',
    path: '/api/acorns/{id}/metrics',
    summary: "An endpoint acorn's traffic as the admin metrics show it, one endpoint `acorn:{id}` (owner or admin)",
    auth: 'required',
    access: { acorns: 'read', identities: 'read', metrics: 'read' },
    query: MetricsQuery,
    responses: {
      200: { description: 'Series and totals of this acorn', schema: MetricsResponse },
      400: { description: 'Bad range or step' },
      401: { description: 'No key' },
      403: { description: 'Not the owner (nor an admin)' },
      404: { description: 'No such acorn' },
    },
  },
  async (c) => {
    const acorn = await loadOwnAcorn(c);
    const name = acornEndpointName(acorn.id);
    const { body, range } = await readMetricsFor(c, (endpoint) => endpoint === name);
    // Always the one series, zeros before the first call.
    const series = body.endpoints.find((e) => e.endpoint === name) ?? emptySeries(name, range);
    c.header('Cache-Control', 'no-store');
    return c.json({ ...body, endpoints: [series] } satisfies MetricsResponse);
  },
);
