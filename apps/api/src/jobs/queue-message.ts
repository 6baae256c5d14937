/**
 * What travels on the jobs queue (SQS on AWS): one step of one lane of a job. A lane runs its slices of iterations one
 * after another; `position` is the lane's slice counter when the message was sent, so a duplicate delivery of a step
 * that already ran is recognised and dropped. See docs/decisions/009-jobs.md.
 */
export interface JobQueueMessage {
  jobId: string;
  lane: number;
  position: number;
}

/**
 * Deliveries of one step before the worker gives its job up as `failed` (the machinery keeps failing); the queue
 * moves a message to its dead-letter queue one delivery later.
 */
export const MAX_RECEIVES = 4;

/** The most iterations one slice holds: a slice is what one worker runs under one lease (one SQS message on AWS). */
export const sliceMaxIterations = 25;

/**
 * The longest a slice may take: every iteration at the largest deadline, plus a margin for reading the job and
 * writing results. The worker function's timeout; the queue's visibility timeout must be above it.
 */
export const longestSliceMs = (runMaxTimeoutMs: number): number =>
  sliceMaxIterations * (runMaxTimeoutMs + 500) + 10_000;

export function parseJobQueueMessage(body: string): JobQueueMessage | undefined {
  try {
    const value = JSON.parse(body) as Partial<JobQueueMessage>;
    if (
      typeof value.jobId === 'string' &&
      Number.isInteger(value.lane) &&
      (value.lane as number) >= 0 &&
      Number.isInteger(value.position) &&
      (value.position as number) >= 0
    ) {
      return { jobId: value.jobId, lane: value.lane as number, position: value.position as number };
    }
  } catch {
    // not JSON
  }
  return undefined;
}
