import * as z from 'zod';
import { Cursor } from './acorn.ts';
import { jobLimits } from './limits.ts';
import { JsonValue, RunError, RunStatus } from './run.ts';

export const JobKind = z.enum(['load', 'batch']);
export type JobKind = z.infer<typeof JobKind>;

/**
 * `succeeded`: every iteration ran, whatever the acorn did in it. `cancelled`: stopped by its creator or an admin (no
 * iteration starts after that; those in flight finish and are recorded). `failed`: the job machinery failed.
 */
export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'cancelled', 'failed']);
export type JobStatus = z.infer<typeof JobStatus>;

const Concurrency = z
  .number()
  .int()
  .min(1)
  .max(jobLimits.concurrencyMax)
  .meta({ description: 'Iterations in flight at once (capped by the share of the sandbox jobs may use)' });

export const CreateLoadJobBody = z.strictObject({
  kind: z.literal('load'),
  iterations: z.number().int().min(1).max(jobLimits.iterationsMax),
  concurrency: Concurrency,
  /** The same input for every iteration (≤ 16 KiB as JSON). */
  input: JsonValue.optional(),
});

export const CreateBatchJobBody = z.strictObject({
  kind: z.literal('batch'),
  /** One iteration per element, in order (each ≤ 16 KiB as JSON). */
  inputs: z.array(JsonValue).min(1).max(jobLimits.batchInputsMax),
  concurrency: Concurrency.optional(),
});

export const CreateJobBody = z.discriminatedUnion('kind', [CreateLoadJobBody, CreateBatchJobBody]);
export type CreateJobBody = z.infer<typeof CreateJobBody>;

export const JobCounts = z.object({
  ok: z.number().int(),
  error: z.number().int(),
  timeout: z.number().int(),
  memory: z.number().int(),
  killed: z.number().int(),
});
export type JobCounts = z.infer<typeof JobCounts>;

/** Percentiles from a mergeable log-scale histogram (within ±9.5 % of the true value); null before any result. */
const Percentile = z.number().nullable();

export const JobError = z.object({ iteration: z.number().int(), name: z.string(), message: z.string() });
export type JobError = z.infer<typeof JobError>;

/** One bucket of the wall-time histogram: iterations that took [fromMs, toMs). Only buckets with a count appear. */
export const JobHistogramBucket = z.object({ fromMs: z.number(), toMs: z.number().nullable(), count: z.number() });
export type JobHistogramBucket = z.infer<typeof JobHistogramBucket>;

export const Job = z.object({
  id: z.string(),
  acornId: z.string(),
  /** The acorn version current when the job started: every iteration runs it. */
  acornVersion: z.number().int().min(1),
  kind: JobKind,
  status: JobStatus,
  total: z.number().int(),
  /** Iterations finished and recorded. */
  done: z.number().int(),
  concurrency: z.number().int(),
  counts: JobCounts,
  wallMs: z.object({ p50: Percentile, p95: Percentile, p99: Percentile, max: Percentile }),
  cpuMs: z.object({ p50: Percentile, p95: Percentile, p99: Percentile }),
  /** Iterations finished per second since the job started (to its end once finished). */
  runsPerSecond: z.number(),
  /** The first 5 iterations (lowest numbers) that did not end `ok`. */
  errors: z.array(JobError),
  /** The wall-time histogram behind the percentiles, for charts. */
  wallMsHistogram: z.array(JobHistogramBucket),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});
export type Job = z.infer<typeof Job>;

export const JobList = z.object({ items: z.array(Job), nextCursor: z.string().nullable() });
export type JobList = z.infer<typeof JobList>;

export const JobResult = z.object({
  /** 0-based; a batch's iteration i ran `inputs[i]`. */
  iteration: z.number().int().min(0),
  status: RunStatus,
  wallMs: z.number(),
  cpuMs: z.number(),
  value: JsonValue.optional(),
  preview: z.string().optional(),
  error: RunError.optional(),
});
export type JobResult = z.infer<typeof JobResult>;

export const JobResultList = z.object({ items: z.array(JobResult), nextCursor: z.string().nullable() });
export type JobResultList = z.infer<typeof JobResultList>;

/** `GET /api/jobs/{jobId}/results`: 100 per page unless asked, up to 1,000 (results are small). */
export const JobResultsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  cursor: Cursor,
});
export type JobResultsQuery = z.infer<typeof JobResultsQuery>;
