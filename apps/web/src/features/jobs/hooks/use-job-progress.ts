/**
 * A job kept live: read once, then followed over its events stream while it is queued or running. Every state the
 * stream brings goes into the job's query and into the acorn's job list; when it finishes, its results are read
 * again.
 */
import type { Job } from '@squirrelbin/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useIdentity } from '../../../lib/identity-store';
import { useJob } from '../api/get-job';
import { updateListedJob } from '../api/list-jobs';
import { jobKeys } from '../api/query-keys';
import { followJob } from '../api/stream-job-events';
import { hasEnded } from '../job-limits';

export function useJobProgress(jobId: string, placeholder?: Job) {
  const queryClient = useQueryClient();
  const key = useIdentity()?.key ?? null;
  const job = useJob(jobId, placeholder);
  const known = job.data !== undefined;
  const finished = job.data ? hasEnded(job.data) : false;
  const [streamError, setStreamError] = useState<unknown>();
  /** Bumped by "Reconnect" after the stream gave up. */
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` only asks for a new connection.
  useEffect(() => {
    if (!known || finished || key === null) return;
    const controller = new AbortController();
    setStreamError(undefined);
    followJob(jobId, {
      signal: controller.signal,
      onProgress: (next) => {
        queryClient.setQueryData(jobKeys.detail(jobId, key), next);
        updateListedJob(queryClient, next, key);
      },
    }).catch((error: unknown) => {
      if (!controller.signal.aborted) setStreamError(error);
    });
    return () => controller.abort();
  }, [jobId, key, known, finished, attempt, queryClient]);

  // However the end became known (the stream's `done`, or a read of the job that beat it, which also closes the
  // stream), the pages read while the job ran miss the iterations that were still in flight: read them again.
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: jobKeys.resultsOf(jobId) });
  }, [finished, jobId, queryClient]);

  return {
    job,
    /** Why the live progress stopped (the stream gave up), until a reconnection is asked for. */
    streamError: finished ? undefined : streamError,
    reconnect: () => setAttempt((count) => count + 1),
  };
}
