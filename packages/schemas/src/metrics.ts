import * as z from 'zod';

export const MetricsStep = z.enum(['1m', '5m', '1h']);
export type MetricsStep = z.infer<typeof MetricsStep>;

/** ISO 8601 or epoch milliseconds. */
const Instant = z.union([z.iso.datetime({ offset: true }), z.string().regex(/^\d{1,15}$/)]);

export const MetricsQuery = z.strictObject({
  from: Instant.optional(),
  to: Instant.optional(),
  step: MetricsStep.default('1m'),
});
export type MetricsQuery = z.infer<typeof MetricsQuery>;

export const RunOutcomes = z.object({
  ok: z.number().int(),
  error: z.number().int(),
  timeout: z.number().int(),
  memory: z.number().int(),
  killed: z.number().int(),
  rejected: z.number().int(),
  /** Runs whose client left: stopped at once. */
  cancelled: z.number().int(),
});
export type RunOutcomes = z.infer<typeof RunOutcomes>;

export const MetricsPoint = z.object({
  count: z.number().int(),
  status2xx: z.number().int(),
  status3xx: z.number().int(),
  status4xx: z.number().int(),
  status5xx: z.number().int(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  outcomes: RunOutcomes.optional(),
});
export type MetricsPoint = z.infer<typeof MetricsPoint>;

export const EndpointSeries = z.object({
  endpoint: z.string(),
  totals: MetricsPoint,
  series: z.array(MetricsPoint.extend({ t: z.iso.datetime() })),
});
export type EndpointSeries = z.infer<typeof EndpointSeries>;

export const MetricsResponse = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  step: MetricsStep,
  endpoints: z.array(EndpointSeries),
});
export type MetricsResponse = z.infer<typeof MetricsResponse>;
