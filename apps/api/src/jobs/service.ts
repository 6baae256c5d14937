/** What the job routes and workers share in a process: the engine, the job watch, and the local queue's wake-up. */
import type { Job } from '@squirrelbin/schemas';
import { jobLimits } from '@squirrelbin/schemas';
import type { Store, StoredJob } from '@squirrelbin/store';
import type { AcornCache } from '../acorn-cache.ts';
import type { Config } from '../config.ts';
import type { AcornRunner } from '../deps.ts';
import { type JobEngine, JobWatch } from './engine.ts';
import { jobView, parseTally, tallyOfLanes } from './tally.ts';

export interface JobServices {
  engine: JobEngine;
  watch: JobWatch;
  /** True when jobs go through the store-backed local queue (no JOBS_QUEUE_URL). */
  local: boolean;
  /** Set by a server running a local worker: called when a job is queued or cancelled in this process. */
  onQueued?: () => void;
  /** Aborted when the server shuts down: job event streams end (they would hold the server open). */
  shutdown: AbortController;
}

export function createJobServices(
  config: Config,
  store: Store,
  runner: AcornRunner,
  acornCache: AcornCache,
): JobServices {
  const engine: JobEngine = {
    store,
    runner,
    acornCache,
    leaseMs: config.jobs.leaseMs,
    heartbeatMs: config.jobs.heartbeatMs,
    maxActiveJobs: jobLimits.activeJobsMax,
  };
  return {
    engine,
    // Lanes of a job in one process share one read of it per heartbeat.
    watch: new JobWatch(store, Math.max(100, Math.floor(config.jobs.heartbeatMs / 2))),
    local: config.jobs.queueUrl === undefined,
    shutdown: new AbortController(),
  };
}

/** A job as the API shows it: its final summary once finished, else its lanes merged as of their last heartbeats. */
export async function readJobView(store: Store, job: StoredJob): Promise<Job> {
  if (job.summary !== undefined) return jobView(job, parseTally(job.summary));
  return jobView(job, tallyOfLanes(await store.jobs.lanes(job.id)));
}
