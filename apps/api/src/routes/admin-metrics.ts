import { parseMetricsQuery, readMetrics } from '@squirrelbin/metrics';
import type { CloudWatchApi } from '@squirrelbin/metrics/cloudwatch';
import { MetricsQuery, MetricsResponse } from '@squirrelbin/schemas';
import { requireAdmin } from '../middleware/auth.ts';
import { ApiProblem } from '../problem.ts';
import { defineRoute } from '../route.ts';

/** Made on the first admin read of an execution environment, and kept for the next. */
let cloudWatch: CloudWatchApi | undefined;

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
    const now = Date.now();
    const query = parseMetricsQuery(c.req.query(), now);
    if (!query.ok) throw invalid(query.errors);
    const { store, config, metrics } = c.var.deps;
    const options = { ...query.value, now, retentionDays: config.metrics.retentionDays };
    let body: MetricsResponse;
    if (config.onLambda) {
      // Lambdas write no metrics table: their EMF lines are the record, and CloudWatch has them (decision 006).
      // Loaded here, so that only this route's Lambda runs the CloudWatch client's module code.
      const { cloudWatchApi, cloudWatchRangeIssue, readCloudWatchMetrics } = await import(
        '@squirrelbin/metrics/cloudwatch'
      );
      const issue = cloudWatchRangeIssue(query.value, now);
      if (issue) throw invalid([issue]);
      cloudWatch ??= cloudWatchApi();
      body = await readCloudWatchMetrics(cloudWatch, options);
    } else {
      // This process's latest figures first, so the answer is up to date at least for the server being asked.
      await metrics.flush();
      body = await readMetrics(store.connection, options);
    }
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  },
);

function invalid(errors: { path: string; message: string }[]): ApiProblem {
  return new ApiProblem('validation-failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}
