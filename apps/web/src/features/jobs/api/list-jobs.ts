import type { Job, JobList } from '@squirrelbin/schemas';
import { type InfiniteData, infiniteQueryOptions, type QueryClient, useInfiniteQuery } from '@tanstack/react-query';
import { api, queryString } from '../../../lib/api-client';
import { useIdentity } from '../../../lib/identity-store';
import { hasEnded } from '../job-limits';
import { jobKeys } from './query-keys';

const pageSize = 10;
/** While a listed job is queued or running, the list is read again this often (its row's progress moves). */
const activePollMs = 3_000;

/** The caller's jobs on this acorn, newest first. */
export function listJobs(acornId: string, cursor?: string, signal?: AbortSignal): Promise<JobList> {
  return api<JobList>(`/api/acorns/${encodeURIComponent(acornId)}/jobs${queryString({ limit: pageSize, cursor })}`, {
    signal,
  });
}

export function listJobsQueryOptions(acornId: string, key: string | null) {
  return infiniteQueryOptions({
    queryKey: jobKeys.list(acornId, key),
    queryFn: ({ pageParam, signal }) => listJobs(acornId, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: key !== null,
  });
}

export function useJobs(acornId: string) {
  const key = useIdentity()?.key ?? null;
  return useInfiniteQuery({
    ...listJobsQueryOptions(acornId, key),
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((job) => !hasEnded(job))) ? activePollMs : false,
  });
}

/** Puts a newer state of a job into every loaded list page that shows it. */
export function updateListedJob(queryClient: QueryClient, job: Job, key: string | null): void {
  queryClient.setQueryData<InfiniteData<JobList, string | undefined>>(jobKeys.list(job.acornId, key), (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) =>
            page.items.some((item) => item.id === job.id)
              ? { ...page, items: page.items.map((item) => (item.id === job.id ? job : item)) }
              : page,
          ),
        }
      : data,
  );
}
