/**
 * A job's progress over server-sent events (`GET /api/jobs/{jobId}/events`): `progress` events (the job, at most 4 a
 * second), then one `done` with the final job. EventSource cannot send the key, so this is fetch with the Bearer key
 * and the app's event-stream parser. `followJob` reconnects when the stream drops before `done` (a proxy's or a
 * Lambda's time limit, a network blip) until the job is finished.
 */
import type { Job } from '@squirrelbin/schemas';
import { ApiError, apiFetch, isApiError } from '../../../lib/api-client';
import { isEventStream, readEventStream } from '../../../lib/server-sent-events';
import { hasEnded } from '../job-limits';

export interface JobStreamOptions {
  signal?: AbortSignal;
  /** Each `progress` event's job. */
  onProgress?: (job: Job) => void;
}

/** Reads one events stream to its `done` event and returns the final job; throws when it ends before that. */
export async function streamJobEvents(jobId: string, { signal, onProgress }: JobStreamOptions = {}): Promise<Job> {
  const response = await apiFetch(`/api/jobs/${encodeURIComponent(jobId)}/events`, {
    signal,
    headers: { Accept: 'text/event-stream' },
  });
  if (!isEventStream(response)) {
    // Not streamed (a proxy answered with the job as JSON): a finished job is the answer, a running one progress.
    const job = (await response.json()) as Job;
    if (hasEnded(job)) return job;
    onProgress?.(job);
    throw streamEnded();
  }
  let final: Job | undefined;
  await readEventStream(response.body as ReadableStream<Uint8Array>, ({ event, data }) => {
    if (event === 'done') final = JSON.parse(data) as Job;
    else if (event === 'progress') onProgress?.(JSON.parse(data) as Job);
    return final !== undefined;
  });
  if (!final) throw streamEnded();
  return final;
}

const streamEnded = () =>
  new ApiError(0, 'stream-ended', 'The live progress stopped before the job finished. Reconnecting…');

export interface FollowJobOptions extends JobStreamOptions {
  /** Waits before each reconnection, the last one repeated; reset by any event. */
  retryDelaysMs?: readonly number[];
  /** Consecutive failed connections (no event in between) before giving up. */
  maxFailures?: number;
}

/**
 * Follows a job to its end: `onProgress` gets every job the streams send, the final one included, and the final job
 * is returned. Gives up on an answer that will not change by retrying (401, 403, 404) or after `maxFailures`
 * connections in a row brought nothing; resolves undefined when aborted.
 */
export async function followJob(
  jobId: string,
  { signal, onProgress, retryDelaysMs = [500, 1_000, 2_000, 5_000], maxFailures = 8 }: FollowJobOptions = {},
): Promise<Job | undefined> {
  let failures = 0;
  for (;;) {
    try {
      const final = await streamJobEvents(jobId, {
        signal,
        onProgress: (job) => {
          failures = 0;
          onProgress?.(job);
        },
      });
      onProgress?.(final);
      return final;
    } catch (error) {
      if (signal?.aborted) return undefined;
      const permanent = isApiError(error) && error.status >= 400 && error.status < 500 && error.status !== 429;
      failures += 1;
      if (permanent || failures >= maxFailures) throw error;
      const wait = Math.max(
        retryDelaysMs[Math.min(failures - 1, retryDelaysMs.length - 1)] ?? 0,
        isApiError(error) && error.retryAfter ? error.retryAfter * 1000 : 0,
      );
      if (!(await delay(wait, signal))) return undefined;
    }
  }
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
function delay(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
