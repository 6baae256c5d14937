import type { JobResultList } from '@squirrelbin/schemas';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../../lib/api-client';
import { useIdentity } from '../../../lib/identity-store';
import { jobKeys } from './query-keys';

/** One page of a job's results, by iteration (only iterations already finished). */
export function listJobResults(
  jobId: string,
  { cursor, limit }: { cursor: string | null; limit: number },
  signal?: AbortSignal,
): Promise<JobResultList> {
  return api<JobResultList>(`/api/jobs/${encodeURIComponent(jobId)}/results${queryString({ limit, cursor })}`, {
    signal,
  });
}

export function jobResultsQueryOptions(jobId: string, cursor: string | null, limit: number, key: string | null) {
  return queryOptions({
    queryKey: jobKeys.results(jobId, cursor, limit, key),
    queryFn: ({ signal }) => listJobResults(jobId, { cursor, limit }, signal),
    enabled: key !== null,
    placeholderData: keepPreviousData,
  });
}

/** While the job runs the page fills in, so it is read again every `pollMs`. */
export function useJobResults(
  jobId: string,
  { cursor, limit, pollMs }: { cursor: string | null; limit: number; pollMs: number | false },
) {
  const key = useIdentity()?.key ?? null;
  return useQuery({ ...jobResultsQueryOptions(jobId, cursor, limit, key), refetchInterval: pollMs });
}
