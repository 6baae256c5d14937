import type { RevisionList } from '@squirrelbin/schemas';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api, queryString } from '../../../lib/api-client';
import { acornKeys } from './query-keys';

export function listRevisions(id: string, cursor?: string, signal?: AbortSignal): Promise<RevisionList> {
  return api<RevisionList>(`/api/acorns/${encodeURIComponent(id)}/revisions${queryString({ limit: 20, cursor })}`, {
    signal,
  });
}

export function listRevisionsQueryOptions(id: string) {
  return infiniteQueryOptions({
    queryKey: acornKeys.revisions(id),
    queryFn: ({ pageParam, signal }) => listRevisions(id, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useRevisions(id: string, options: { enabled?: boolean } = {}) {
  return useInfiniteQuery({ ...listRevisionsQueryOptions(id), enabled: options.enabled ?? true });
}
