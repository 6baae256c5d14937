/** `?from&to&step` → series, from the metrics table on a server or from CloudWatch on AWS (decision 006). */
import { parseMetricsQuery, readMetrics } from '@squirrelbin/metrics';
import type { CloudWatchApi } from '@squirrelbin/metrics/cloudwatch';
import type { MetricsResponse } from '@squirrelbin/schemas';
import type { Context } from 'hono';
import type { AppEnv } from './deps.ts';
import { ApiProblem } from './problem.ts';

/** Made on the first metrics read of an execution environment, and kept for the next. */
let cloudWatch: CloudWatchApi | undefined;

export async function readMetricsFor(
  c: Context<AppEnv>,
  include: (endpoint: string) => boolean,
): Promise<{ body: MetricsResponse; range: { from: number; to: number; step: MetricsResponse['step'] } }> {
  const now = Date.now();
  const query = parseMetricsQuery(c.req.query(), now);
  if (!query.ok) throw invalid(query.errors);
  const { store, config, metrics } = c.var.deps;
  const options = { ...query.value, now, retentionDays: config.metrics.retentionDays, include };
  if (config.onLambda) {
    // Lambdas write no metrics table: their EMF lines are the record, and CloudWatch has them (decision 006).
    // Loaded here, so that only the metrics routes' Lambdas run the CloudWatch client's module code.
    const { cloudWatchApi, cloudWatchRangeIssue, readCloudWatchMetrics } = await import(
      '@squirrelbin/metrics/cloudwatch'
    );
    const issue = cloudWatchRangeIssue(query.value, now);
    if (issue) throw invalid([issue]);
    cloudWatch ??= cloudWatchApi();
    return { body: await readCloudWatchMetrics(cloudWatch, options), range: query.value };
  }
  // This process's latest figures first, so the answer is up to date at least for the server being asked.
  await metrics.flush();
  return { body: await readMetrics(store.connection, options), range: query.value };
}

function invalid(errors: { path: string; message: string }[]): ApiProblem {
  return new ApiProblem('validation-failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}
