import type { CreateJobBody, Job } from '@squirrelbin/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { useIdentity } from '../../../lib/identity-store';
import { jobKeys } from './query-keys';

/** Starts a job on the saved acorn (202, the job queued); 429 when the caller already has too many active jobs. */
export function createJob(acornId: string, body: CreateJobBody, signal?: AbortSignal): Promise<Job> {
  return api<Job>(`/api/acorns/${encodeURIComponent(acornId)}/jobs`, { method: 'POST', body, signal });
}

export function useCreateJob(acornId: string) {
  const queryClient = useQueryClient();
  const key = useIdentity()?.key ?? null;
  return useMutation({
    mutationFn: (body: CreateJobBody) => createJob(acornId, body),
    onSuccess: (job) => {
      queryClient.setQueryData(jobKeys.detail(job.id, key), job);
      void queryClient.invalidateQueries({ queryKey: jobKeys.listsOf(acornId) });
    },
  });
}
