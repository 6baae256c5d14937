import type { Job } from '@squirrelbin/schemas';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { useIdentity } from '../../../lib/identity-store';
import { jobKeys } from './query-keys';

/** A job's status, progress and summary (its creator or an admin). */
export function getJob(jobId: string, signal?: AbortSignal): Promise<Job> {
  return api<Job>(`/api/jobs/${encodeURIComponent(jobId)}`, { signal });
}

export function jobQueryOptions(jobId: string, key: string | null) {
  return queryOptions({
    queryKey: jobKeys.detail(jobId, key),
    queryFn: ({ signal }) => getJob(jobId, signal),
    enabled: key !== null,
    // The events stream keeps an unfinished job fresh, and a finished one does not change.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** `placeholder`: the job as a list showed it, drawn until the job itself arrives. */
export function useJob(jobId: string, placeholder?: Job) {
  const key = useIdentity()?.key ?? null;
  return useQuery({ ...jobQueryOptions(jobId, key), placeholderData: placeholder });
}
