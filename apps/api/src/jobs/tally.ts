/**
 * A job's summary as it is counted: per lane, merged for reading. Tallies merge by adding (counts, the metrics
 * package's fixed-bucket histograms) and by keeping the lowest-numbered errors, so lanes counted by different
 * workers add up to the job's summary in any order.
 */
import { bucketBounds, bucketOf, histogramBuckets, percentile } from '@squirrelbin/metrics';
import type { Job, JobCounts, JobError, JobHistogramBucket, RunStatus } from '@squirrelbin/schemas';
import type { StoredJob, StoredLane, StoredResult } from '@squirrelbin/store';

/** The first errors a job reports. */
export const MAX_JOB_ERRORS = 5;

export interface Tally {
  done: number;
  counts: JobCounts;
  /** Sparse histograms: bucket index → iterations. */
  wall: Record<number, number>;
  cpu: Record<number, number>;
  wallMax: number | null;
  /** The lowest-numbered iterations that did not end `ok`, at most MAX_JOB_ERRORS, by iteration. */
  errors: JobError[];
}

export const emptyTally = (): Tally => ({
  done: 0,
  counts: { ok: 0, error: 0, timeout: 0, memory: 0, killed: 0 },
  wall: {},
  cpu: {},
  wallMax: null,
  errors: [],
});

export function addResult(tally: Tally, result: StoredResult): void {
  tally.done++;
  tally.counts[result.status as RunStatus]++;
  const wall = bucketOf(result.wallMs);
  tally.wall[wall] = (tally.wall[wall] ?? 0) + 1;
  const cpu = bucketOf(result.cpuMs);
  tally.cpu[cpu] = (tally.cpu[cpu] ?? 0) + 1;
  tally.wallMax = Math.max(tally.wallMax ?? 0, result.wallMs);
  if (result.status !== 'ok') {
    const error = {
      iteration: result.iteration,
      name: result.error?.name ?? result.status,
      message: result.error?.message ?? '',
    };
    tally.errors = keepFirst([...tally.errors, error]);
  }
}

export function mergeTallies(into: Tally, from: Tally): Tally {
  into.done += from.done;
  for (const status of Object.keys(into.counts) as RunStatus[]) into.counts[status] += from.counts[status];
  for (const [bucket, n] of Object.entries(from.wall)) into.wall[Number(bucket)] = (into.wall[Number(bucket)] ?? 0) + n;
  for (const [bucket, n] of Object.entries(from.cpu)) into.cpu[Number(bucket)] = (into.cpu[Number(bucket)] ?? 0) + n;
  if (from.wallMax !== null) into.wallMax = Math.max(into.wallMax ?? 0, from.wallMax);
  into.errors = keepFirst([...into.errors, ...from.errors]);
  return into;
}

const keepFirst = (errors: JobError[]) => errors.sort((a, b) => a.iteration - b.iteration).slice(0, MAX_JOB_ERRORS);

export const tallyJson = (tally: Tally): string => JSON.stringify(tally);

/** A stored tally; an empty one for anything unreadable (it was written by this module, so that is a bug). */
export function parseTally(json: string | undefined): Tally {
  if (!json) return emptyTally();
  try {
    return { ...emptyTally(), ...(JSON.parse(json) as Partial<Tally>) };
  } catch {
    return emptyTally();
  }
}

/** The lanes' finished slices and the slices in progress (as of their last heartbeat). */
export function tallyOfLanes(lanes: readonly StoredLane[]): Tally {
  const total = emptyTally();
  for (const lane of lanes) {
    mergeTallies(total, parseTally(lane.summary));
    if (lane.partial) mergeTallies(total, parseTally(lane.partial));
  }
  return total;
}

function dense(sparse: Record<number, number>): Float64Array {
  const histogram = new Float64Array(histogramBuckets);
  for (const [bucket, n] of Object.entries(sparse)) histogram[Number(bucket)] = n;
  return histogram;
}

/** The job as the API shows it, from its stored item and its summary (final, or merged from the lanes). */
export function jobView(job: StoredJob, tally: Tally, now = Date.now()): Job {
  const wall = dense(tally.wall);
  const cpu = dense(tally.cpu);
  const started = job.startedAt ? Date.parse(job.startedAt) : undefined;
  const ended = job.finishedAt ? Date.parse(job.finishedAt) : now;
  const seconds = started === undefined ? 0 : Math.max(ended - started, 1) / 1000;
  const histogram: JobHistogramBucket[] = [];
  for (const [bucket, count] of Object.entries(tally.wall).sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const [fromMs, toMs] = bucketBounds(Number(bucket));
    histogram.push({ fromMs: round(fromMs), toMs: Number.isFinite(toMs) ? round(toMs) : null, count });
  }
  return {
    id: job.id,
    acornId: job.acornId,
    acornVersion: job.acornVersion,
    kind: job.kind,
    status: job.status,
    total: job.total,
    done: tally.done,
    concurrency: job.concurrency,
    counts: tally.counts,
    wallMs: {
      p50: percentile(wall, 50),
      p95: percentile(wall, 95),
      p99: percentile(wall, 99),
      // Exact (not a bucket's value), to three decimals like the percentiles.
      max: tally.wallMax === null ? null : round(tally.wallMax),
    },
    cpuMs: { p50: percentile(cpu, 50), p95: percentile(cpu, 95), p99: percentile(cpu, 99) },
    runsPerSecond: seconds > 0 ? Math.round((tally.done / seconds) * 10) / 10 : 0,
    errors: tally.errors,
    wallMsHistogram: histogram,
    createdAt: job.createdAt,
    startedAt: job.startedAt ?? null,
    finishedAt: job.finishedAt ?? null,
  };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
