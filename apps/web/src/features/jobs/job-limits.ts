/** The job bounds and states the panel needs, from the schemas package's zod-free limits module. */
import type { Job } from '@squirrelbin/schemas';

export { isFinishedJob, jobLimits } from '@squirrelbin/schemas';

/**
 * The job is over: its summary is final and no result will be added. Not the same as a finished status: a job
 * cancelled while iterations were in flight says `cancelled` at once, and ends when those are recorded.
 */
export const hasEnded = (job: Pick<Job, 'finishedAt'>): boolean => job.finishedAt !== null;
