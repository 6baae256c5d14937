import type { Job } from '@squirrelbin/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../lib/api-client';
import { useIdentity } from '../../../lib/identity-store';
import { updateListedJob } from './list-jobs';
import { jobKeys } from './query-keys';

/**
 * Cancels a job: no iteration starts after this; those in flight finish and are recorded. 202 answers the job as it
 * is now (`cancelled`, still ending); 204 says it had already ended.
 */
export async function cancelJob(jobId: string): Promise<Job | undefined> {
  const response = await apiFetch(`/api/jobs/${encodeURIComponent(jobId)}`, { method: 'DELETE' });
  if (response.status === 204) return undefined;
  try {
    return (await response.json()) as Job;
  } catch {
    return undefined;
  }
}

/** The events stream brings the job to its end; a job that had already ended is read again. */
export function useCancelJob() {
  const queryClient = useQueryClient();
  const key = useIdentity()?.key ?? null;
  return useMutation({
    mutationFn: (jobId: string) => cancelJob(jobId),
    onSuccess: (job, jobId) => {
      if (job) {
        queryClient.setQueryData(jobKeys.detail(jobId, key), job);
        updateListedJob(queryClient, job, key);
        return;
      }
      void queryClient.invalidateQueries({ queryKey: jobKeys.detailOf(jobId) });
      void queryClient.invalidateQueries({ queryKey: jobKeys.resultsOf(jobId) });
    },
  });
}
